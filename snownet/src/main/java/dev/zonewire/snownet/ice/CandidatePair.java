package dev.zonewire.snownet.ice;

import dev.zonewire.stun.TransactionId;

import java.util.ArrayDeque;

/** A local and a remote candidate of one family, and the state of the checks between them. */
final class CandidatePair {
    enum State { WAITING, SUCCEEDED, FAILED }

    final Candidate local;
    Candidate remote;
    long priority;
    State state = State.WAITING;
    /** Controlling side: we nominated it. Controlled side: the peer sent USE-CANDIDATE on it. */
    boolean nominated;
    /** Controlled side: when the peer last sent USE-CANDIDATE here, to follow its latest choice. */
    long nominationOrder;
    /** Check it at once, e.g. because the peer's check just arrived on it. */
    boolean triggered;
    /** Checks sent since the last answer. */
    int unanswered;
    boolean everSent;
    /** A check from the peer arrived on this pair. */
    boolean seenRequest;
    long lastSentAt;
    long firstUnansweredAt;
    /** Transaction ids of the checks still awaiting an answer, oldest first. */
    final ArrayDeque<TransactionId> outstanding = new ArrayDeque<>();

    CandidatePair(Candidate local, Candidate remote, boolean controlling) {
        this.local = local;
        this.remote = remote;
        this.priority = pairPriority(local, remote, controlling);
    }

    void recomputePriority(boolean controlling) {
        priority = pairPriority(local, remote, controlling);
    }

    /**
     * RFC 8445 section 6.1.2.3: {@code 2^32·min(G,D) + 2·max(G,D) + (G > D ? 1 : 0)}, G being the
     * controlling side's candidate priority and D the controlled side's. The value is an unsigned
     * 64-bit number: compare it with {@link Long#compareUnsigned}.
     */
    static long pairPriority(Candidate local, Candidate remote, boolean controlling) {
        long g = controlling ? local.priority() : remote.priority();
        long d = controlling ? remote.priority() : local.priority();
        return (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
    }

    boolean isPossible() {
        return state != State.FAILED;
    }

    @Override
    public String toString() {
        return local + " -> " + remote + " " + state + (nominated ? " nominated" : "");
    }
}
