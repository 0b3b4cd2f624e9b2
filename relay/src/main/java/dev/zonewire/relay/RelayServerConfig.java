package dev.zonewire.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;

/**
 * What the sans-IO {@link RelayServer} needs to know about its deployment.
 *
 * @param publicIp4 the relay's public IPv4 address (allocations get relayed addresses on it), or null
 * @param publicIp6 the same for IPv6, or null; at least one of the two is required
 * @param lowestPort first port of the allocation range (inclusive)
 * @param highestPort last port of the allocation range (inclusive)
 * @param nonceLifetime how long a nonce the relay hands out stays valid (besides its 100 uses)
 * @param nonceTableCapacity how many nonces' use counts are tracked at most
 */
public record RelayServerConfig(Inet4Address publicIp4, Inet6Address publicIp6, int lowestPort, int highestPort,
                                Duration nonceLifetime, int nonceTableCapacity) {

    public static final int DEFAULT_LOWEST_PORT = 49152;
    public static final int DEFAULT_HIGHEST_PORT = 65535;
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofHours(1);
    public static final int DEFAULT_NONCE_TABLE_CAPACITY = 100_000;

    public RelayServerConfig {
        if (publicIp4 == null && publicIp6 == null) {
            throw new IllegalArgumentException("a relay needs a public IPv4 or IPv6 address, or both");
        }
        if (lowestPort < 1 || highestPort > 65535 || lowestPort > highestPort) {
            throw new IllegalArgumentException("allocation port range " + lowestPort + "-" + highestPort + " is not within 1-65535");
        }
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        if (nonceTableCapacity < 1) {
            throw new IllegalArgumentException("nonce table capacity must be positive");
        }
    }

    /** The defaults for everything but the public addresses. */
    public static RelayServerConfig of(Inet4Address publicIp4, Inet6Address publicIp6) {
        return new RelayServerConfig(publicIp4, publicIp6, DEFAULT_LOWEST_PORT, DEFAULT_HIGHEST_PORT,
                DEFAULT_NONCE_LIFETIME, DEFAULT_NONCE_TABLE_CAPACITY);
    }

    public RelayServerConfig withPortRange(int lowest, int highest) {
        return new RelayServerConfig(publicIp4, publicIp6, lowest, highest, nonceLifetime, nonceTableCapacity);
    }

    public RelayServerConfig withNonceTableCapacity(int capacity) {
        return new RelayServerConfig(publicIp4, publicIp6, lowestPort, highestPort, nonceLifetime, capacity);
    }

    public int portCount() {
        return highestPort - lowestPort + 1;
    }
}
