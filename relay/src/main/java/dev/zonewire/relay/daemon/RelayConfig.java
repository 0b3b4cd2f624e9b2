package dev.zonewire.relay.daemon;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.RelayServerConfig;
import dev.zonewire.relay.portal.PortalSettings;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Everything a relay process is configured with (the CLI maps its flags and environment onto
 * this). Null means "not set" for the optional components.
 *
 * @param publicIp4 public IPv4 address: enables IPv4 listening and allocations
 * @param publicIp6 public IPv6 address: the same for IPv6; at least one is required
 * @param bindIp4 where IPv4 sockets bind; null means 0.0.0.0
 * @param bindIp6 where IPv6 sockets bind; null means ::
 * @param listenPort the STUN/TURN port (3478); 0 picks a free one (tests)
 * @param lowestPort first allocation port
 * @param highestPort last allocation port
 * @param healthAddress where GET /healthz (and /metrics unless metricsAddress is set) is served; null: nowhere
 * @param metricsAddress where GET /metrics is served if not on the health address; null: with health
 * @param stateDir directory keeping the stamp secret across restarts; null: the secret lives in memory only
 * @param stampSecret a fixed stamp secret (standalone mode); wins over stateDir
 * @param rngSeed seeds all randomness, the stamp secret included (tests and debugging only); null: secure random
 * @param portal how to reach the portal; null: standalone, no portal
 */
public record RelayConfig(Inet4Address publicIp4, Inet6Address publicIp6, InetAddress bindIp4, InetAddress bindIp6,
                          int listenPort, int lowestPort, int highestPort, InetSocketAddress healthAddress,
                          InetSocketAddress metricsAddress, Path stateDir, Secret stampSecret, Long rngSeed,
                          PortalSettings portal) {

    public static final int DEFAULT_LISTEN_PORT = 3478;
    public static final InetSocketAddress DEFAULT_HEALTH_ADDRESS = new InetSocketAddress(8080);

    public RelayConfig {
        if (publicIp4 == null && publicIp6 == null) {
            throw new IllegalArgumentException("Must listen on at least one of IPv4 or IPv6");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port " + listenPort + " is not a port");
        }
        new RelayServerConfig(publicIp4, publicIp6, lowestPort, highestPort,
                RelayServerConfig.DEFAULT_NONCE_LIFETIME, RelayServerConfig.DEFAULT_NONCE_TABLE_CAPACITY);
    }

    /** The reference's defaults: port 3478, allocations on 49152-65535, health on 0.0.0.0:8080. */
    public static RelayConfig of(Inet4Address publicIp4, Inet6Address publicIp6) {
        return new RelayConfig(publicIp4, publicIp6, null, null, DEFAULT_LISTEN_PORT,
                RelayServerConfig.DEFAULT_LOWEST_PORT, RelayServerConfig.DEFAULT_HIGHEST_PORT,
                DEFAULT_HEALTH_ADDRESS, null, null, null, null, null);
    }

    public RelayConfig withBind(InetAddress ip4, InetAddress ip6) {
        return new RelayConfig(publicIp4, publicIp6, ip4, ip6, listenPort, lowestPort, highestPort, healthAddress,
                metricsAddress, stateDir, stampSecret, rngSeed, portal);
    }

    public RelayConfig withListenPort(int port) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, port, lowestPort, highestPort, healthAddress,
                metricsAddress, stateDir, stampSecret, rngSeed, portal);
    }

    public RelayConfig withPortRange(int lowest, int highest) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowest, highest, healthAddress,
                metricsAddress, stateDir, stampSecret, rngSeed, portal);
    }

    public RelayConfig withHttp(InetSocketAddress health, InetSocketAddress metrics) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowestPort, highestPort, health,
                metrics, stateDir, stampSecret, rngSeed, portal);
    }

    public RelayConfig withStateDir(Path dir) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowestPort, highestPort, healthAddress,
                metricsAddress, dir, stampSecret, rngSeed, portal);
    }

    public RelayConfig withStampSecret(Secret secret) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowestPort, highestPort, healthAddress,
                metricsAddress, stateDir, secret, rngSeed, portal);
    }

    public RelayConfig withRngSeed(Long seed) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowestPort, highestPort, healthAddress,
                metricsAddress, stateDir, stampSecret, seed, portal);
    }

    public RelayConfig withPortal(PortalSettings settings) {
        return new RelayConfig(publicIp4, publicIp6, bindIp4, bindIp6, listenPort, lowestPort, highestPort, healthAddress,
                metricsAddress, stateDir, stampSecret, rngSeed, settings);
    }

    RelayServerConfig serverConfig() {
        return RelayServerConfig.of(publicIp4, publicIp6).withPortRange(lowestPort, highestPort);
    }

    InetAddress effectiveBindIp4() {
        return publicIp4 == null ? null : bindIp4 != null ? bindIp4 : wildcard("0.0.0.0");
    }

    InetAddress effectiveBindIp6() {
        return publicIp6 == null ? null : bindIp6 != null ? bindIp6 : wildcard("::");
    }

    private static InetAddress wildcard(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
