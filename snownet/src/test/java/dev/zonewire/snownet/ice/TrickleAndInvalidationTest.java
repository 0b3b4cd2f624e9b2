package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.address;
import static dev.zonewire.snownet.ice.AgentPair.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TrickleAndInvalidationTest {
    private static final InetSocketAddress RIGHT_RELAYED = address("198.51.100.101", 49152);
    private static final InetSocketAddress RIGHT_HOST_V6 = address("fd00::2", 5000);

    @Test
    void anAgentWithoutRemoteCandidatesWaitsInChecking() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));

        pair.advanceMillis(30_000);

        assertThat(pair.left.state()).isEqualTo(IceState.CHECKING);
        assertThat(pair.sent).isEmpty();
    }

    @Test
    void aCandidateTrickledLaterIsPairedAndChecked() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        pair.advanceMillis(5_000);

        pair.left.addRemoteCandidate(Candidate.host(RIGHT_HOST));
        pair.advanceMillis(100);

        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void candidatesOfAnotherFamilyAreNotPaired() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.left.addRemoteCandidate(Candidate.host(RIGHT_HOST_V6));

        pair.advanceMillis(1_000);

        assertThat(pair.sent).isEmpty();
        assertThat(pair.left.state()).isEqualTo(IceState.CHECKING);
    }

    @Test
    void invalidatingTheNominatedRemoteCandidateFallsBackToTheNextWorkingPair() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        pair.right.addLocalCandidate(Candidate.relayed(RIGHT_RELAYED));
        pair.left.addRemoteCandidate(Candidate.host(RIGHT_HOST));
        pair.left.addRemoteCandidate(Candidate.relayed(RIGHT_RELAYED));
        pair.right.addRemoteCandidate(Candidate.host(LEFT_HOST));
        pair.advanceMillis(200);

        boolean known = pair.left.invalidateRemoteCandidate(Candidate.host(RIGHT_HOST));
        pair.advanceMillis(100);

        assertThat(known).isTrue();
        assertThat(eventsOf(pair.leftEvents, IceEvent.NominationLost.class))
                .containsExactly(new IceEvent.NominationLost(LEFT_HOST, RIGHT_HOST));
        assertThat(eventsOf(pair.leftEvents, IceEvent.Nominated.class)).last()
                .isEqualTo(new IceEvent.Nominated(LEFT_HOST, RIGHT_RELAYED));
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class)).last()
                .isEqualTo(new IceEvent.Nominated(RIGHT_RELAYED, LEFT_HOST));
    }

    @Test
    void invalidatingTheOnlyLocalCandidateDisconnects() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.advanceMillis(200);

        pair.left.invalidateLocalCandidate(Candidate.host(LEFT_HOST));
        pair.advanceMillis(10);

        assertThat(pair.left.state()).isEqualTo(IceState.DISCONNECTED);
    }

    @Test
    void invalidatingAnUnknownCandidateChangesNothing() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.advanceMillis(200);

        assertThat(pair.left.invalidateRemoteCandidate(Candidate.host(address("192.0.2.99", 9)))).isFalse();
        assertThat(pair.left.invalidateLocalCandidate(Candidate.relayed(LEFT_HOST))).isFalse();
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void serverReflexiveCandidatesAreSignalledButNotCheckedFrom() {
        AgentPair pair = AgentPair.controllingAndControlled();

        assertThat(pair.left.addLocalCandidate(Candidate.serverReflexive(address("198.51.100.2", 4000), LEFT_HOST))).isFalse();
        assertThat(pair.left.localCandidates()).isEmpty();
    }

    @Test
    void theNumberOfRemoteCandidatesAndPairsIsBounded() {
        AgentPair pair = AgentPair.controllingAndControlled();
        for (int i = 0; i < 8; i++) {
            pair.left.addLocalCandidate(Candidate.host(address("10.0.1." + (i + 1), 4000)));
        }
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            if (pair.left.addRemoteCandidate(Candidate.host(address("192.0.2." + (i % 250 + 1), 6000 + i)))) {
                accepted++;
            }
        }

        assertThat(accepted).isEqualTo(IceAgent.MAX_REMOTE_CANDIDATES);
        pair.advanceMillis(1);
        assertThat(pair.left.state()).isEqualTo(IceState.CHECKING);
    }
}
