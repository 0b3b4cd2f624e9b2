package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code wg setconf} sets: the interface's key, port and mark, and its peers.
 *
 * @param listenPort the UDP port, or null to keep the current one
 * @param firewallMark the mark of the UDP sockets (0: none), or null to keep the current one
 */
public record DeviceConfig(PrivateKey privateKey, Integer listenPort, Integer firewallMark, List<Peer> peers) {
    public DeviceConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        peers = List.copyOf(peers);
    }

    /**
     * One peer.
     *
     * @param endpoint where to reach it first, or null to wait until it calls
     * @param persistentKeepalive 0 for none
     */
    public record Peer(PublicKey publicKey, PresharedKey presharedKey, InetSocketAddress endpoint,
            List<IpPrefix> allowedIps, Duration persistentKeepalive) {
        public Peer {
            Objects.requireNonNull(publicKey, "publicKey");
            presharedKey = presharedKey == null ? PresharedKey.NONE : presharedKey;
            allowedIps = List.copyOf(allowedIps);
            persistentKeepalive = persistentKeepalive == null ? Duration.ZERO : persistentKeepalive;
        }
    }
}
