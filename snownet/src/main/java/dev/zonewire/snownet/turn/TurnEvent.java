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
}
