package dev.zonewire.snownet.turn;

import dev.zonewire.snownet.ice.Candidate;

/** What a {@link TurnAllocation} tells its owner. */
public sealed interface TurnEvent {

    /** A server-reflexive or relayed candidate appeared (or replaced one of its kind and family). */
    record CandidateAdded(Candidate candidate) implements TurnEvent {
    }

    /** A candidate is no longer valid: the allocation expired, was lost, or its relay is gone. */
    record CandidateRemoved(Candidate candidate) implements TurnEvent {
    }

    /**
     * A {@link TurnAllocation#probe} went unanswered: the relay is probably gone. Its allocation
     * is kept until a REFRESH fails too, but traffic had better take another way meanwhile.
     */
    record Unresponsive() implements TurnEvent {
    }
}
