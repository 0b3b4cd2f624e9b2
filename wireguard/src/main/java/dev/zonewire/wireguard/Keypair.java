package dev.zonewire.wireguard;

/**
 * One session's transport keys, made by a completed handshake: a sending key with its counter and
 * a receiving key with its replay window. Lives at most REJECT_AFTER_TIME.
 */
final class Keypair implements Indexed {
    private final WireGuardPeer peer;
    final ChaCha20Poly1305 sending;
    final ChaCha20Poly1305 receiving;
    final ReplayWindow replayWindow = new ReplayWindow();
    final boolean weInitiated;
    final long createdAt;
    final int localIndex;
    final int remoteIndex;
    /** The counter of the next message we send: an unsigned 64-bit value. */
    long sendCounter;

    Keypair(WireGuardPeer peer, byte[] sendingKey, byte[] receivingKey, boolean weInitiated,
            long createdAt, int localIndex, int remoteIndex) {
        this.peer = peer;
        this.sending = new ChaCha20Poly1305(sendingKey);
        this.receiving = new ChaCha20Poly1305(receivingKey);
        this.weInitiated = weInitiated;
        this.createdAt = createdAt;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
    }

    @Override
    public WireGuardPeer peer() {
        return peer;
    }

    boolean isExpired(long now) {
        return now - createdAt >= Protocol.REJECT_AFTER_TIME_NANOS;
    }

    /** Whether we may still send with it: young enough and counter below REJECT_AFTER_MESSAGES. */
    boolean canSend(long now) {
        return !isExpired(now) && Long.compareUnsigned(sendCounter, Protocol.REJECT_AFTER_MESSAGES) < 0;
    }
}
