package dev.zonewire.wireguard;

/**
 * Tunables of a {@link WireGuardTunnel}.
 *
 * @param mtu                        the inner MTU; plaintext is padded to 16 bytes but never past it
 * @param underLoadHandshakesPerSecond above this many handshake messages in a second the tunnel is
 *                                   under load and demands cookies (the reference uses 100)
 * @param stagedPacketsPerPeer       packets kept per peer while a handshake is under way
 * @param outputQueueLimit           transmits and events kept before the driver drains them
 */
public record TunnelSettings(int mtu, int underLoadHandshakesPerSecond, int stagedPacketsPerPeer,
                             int outputQueueLimit) {
    public static final TunnelSettings DEFAULTS = new TunnelSettings(1420, 100, 128, 4096);

    public TunnelSettings {
        if (mtu < 576 || mtu > 65535 - 80) {
            throw new IllegalArgumentException("mtu must be 576 to 65455, got " + mtu);
        }
        if (underLoadHandshakesPerSecond < 1 || stagedPacketsPerPeer < 1 || outputQueueLimit < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public TunnelSettings withMtu(int newMtu) {
        return new TunnelSettings(newMtu, underLoadHandshakesPerSecond, stagedPacketsPerPeer, outputQueueLimit);
    }

    public TunnelSettings withUnderLoadHandshakesPerSecond(int limit) {
        return new TunnelSettings(mtu, limit, stagedPacketsPerPeer, outputQueueLimit);
    }
}
