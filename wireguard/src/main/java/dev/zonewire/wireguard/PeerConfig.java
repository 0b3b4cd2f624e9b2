package dev.zonewire.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A peer as configured: its public key, an optional preshared key, an optional initial endpoint
 * (it follows the peer once it talks to us) and an optional persistent keepalive interval.
 */
public record PeerConfig(PublicKey publicKey, PresharedKey presharedKey, InetSocketAddress endpoint,
                         Duration persistentKeepalive) {
    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        presharedKey = presharedKey == null ? PresharedKey.NONE : presharedKey;
        persistentKeepalive = checkPersistentKeepalive(persistentKeepalive == null ? Duration.ZERO : persistentKeepalive);
    }

    /** wg(8) takes 0 (off) to 65535 seconds. */
    static Duration checkPersistentKeepalive(Duration interval) {
        if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(65535)) > 0) {
            throw new IllegalArgumentException("persistent keepalive must be 0 (off) to 65535 seconds, got " + interval);
        }
        return interval;
    }

    public static PeerConfig of(PublicKey publicKey) {
        return new PeerConfig(publicKey, null, null, null);
    }

    public PeerConfig withPresharedKey(PresharedKey key) {
        return new PeerConfig(publicKey, key, endpoint, persistentKeepalive);
    }

    public PeerConfig withEndpoint(InetSocketAddress address) {
        return new PeerConfig(publicKey, presharedKey, address, persistentKeepalive);
    }

    public PeerConfig withPersistentKeepalive(Duration interval) {
        return new PeerConfig(publicKey, presharedKey, endpoint, interval);
    }
}
