package dev.zonewire.snownet;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.snownet.ice.IceAgent;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.WireGuardPeer;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/** One peer of a {@link Node}: its ICE agent, its WireGuard peer, its relay and its life cycle. */
final class Connection<C, R> {
    enum State { CONNECTING, CONNECTED, IDLE, FAILED }

    /** IP packets kept while no path to the peer is known; the reference's WireGuard keeps up to 256. */
    static final int MAX_PENDING = 256;
    static final long NEVER = Long.MIN_VALUE;

    final C id;
    final PublicKey remoteKey;
    final IceCredentials localCredentials;
    final IceAgent agent;
    final WireGuardPeer peer;
    final long createdAt;
    final Decapsulated.Packet<C> packet;

    R relay;
    State state = State.CONNECTING;
    boolean established;
    long lastDataAt;
    long disconnectedSince = NEVER;
    FailureReason failure;
    final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    /** Local candidates we told the peer about, so that we can withdraw them. */
    final Set<Candidate> signalled = new LinkedHashSet<>();

    Connection(C id, PublicKey remoteKey, IceCredentials localCredentials, IceAgent agent, WireGuardPeer peer, long now) {
        this.id = id;
        this.remoteKey = remoteKey;
        this.localCredentials = localCredentials;
        this.agent = agent;
        this.peer = peer;
        this.createdAt = now;
        this.lastDataAt = now;
        this.packet = new Decapsulated.Packet<>(id);
    }

    boolean isActive() {
        return state != State.FAILED;
    }

    void fail(FailureReason reason) {
        if (state != State.FAILED) {
            state = State.FAILED;
            failure = reason;
        }
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + state + "]";
    }
}
