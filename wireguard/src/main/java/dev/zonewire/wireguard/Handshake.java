package dev.zonewire.wireguard;

import java.util.Arrays;

/** The Noise handshake state of one peer, between messages. Mutated only by {@link Noise} and the peer. */
final class Handshake implements Indexed {
    enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

    private final WireGuardPeer peer;

    State state = State.ZEROED;
    final byte[] hash = new byte[Blake2s.HASH_LENGTH];
    final byte[] chainingKey = new byte[Blake2s.HASH_LENGTH];
    final byte[] localEphemeral = new byte[32];
    final byte[] remoteEphemeral = new byte[32];
    int localIndex;
    int remoteIndex;

    /** The newest initiation timestamp accepted from this peer: older or equal ones are replays. */
    final byte[] lastTimestamp = new byte[Tai64n.LENGTH];
    boolean initiationConsumedBefore;
    long lastInitiationConsumedAt;

    Handshake(WireGuardPeer peer) {
        this.peer = peer;
    }

    @Override
    public WireGuardPeer peer() {
        return peer;
    }

    /** Forgets the ephemeral secrets and chain state; the replay and flood memory stays. */
    void clear() {
        Arrays.fill(hash, (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
        Arrays.fill(localEphemeral, (byte) 0);
        Arrays.fill(remoteEphemeral, (byte) 0);
        localIndex = 0;
        state = State.ZEROED;
    }
}
