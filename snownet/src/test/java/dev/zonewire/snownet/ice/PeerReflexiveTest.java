package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.address;
import static dev.zonewire.snownet.ice.AgentPair.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerReflexiveTest {
    /** Where a NAT in front of "left" maps its host address. */
    private static final InetSocketAddress LEFT_MAPPED = address("198.51.100.2", 61000);

    private static AgentPair leftBehindNat() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.translate = source -> source.equals(LEFT_HOST) ? LEFT_MAPPED : source;
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        pair.left.addRemoteCandidate(Candidate.host(RIGHT_HOST));
        return pair;
    }

    @Test
    void aCheckFromAnUnknownAddressTeachesAPeerReflexiveRemoteCandidate() {
        AgentPair pair = leftBehindNat();

        pair.advanceMillis(100);

        assertThat(pair.right.remoteCandidates()).singleElement().satisfies(candidate -> {
            assertThat(candidate.kind()).isEqualTo(Candidate.Kind.PEER_REFLEXIVE);
            assertThat(candidate.address()).isEqualTo(LEFT_MAPPED);
            assertThat(candidate.priority()).isEqualTo(1862270719L);
        });
        assertThat(eventsOf(pair.rightEvents, IceEvent.RemoteAddressSeen.class))
                .containsExactly(new IceEvent.RemoteAddressSeen(LEFT_MAPPED, RIGHT_HOST));
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class))
                .containsExactly(new IceEvent.Nominated(RIGHT_HOST, LEFT_MAPPED));
    }

    @Test
    void anAnswerShowingAnotherMappedAddressTeachesALocalPeerReflexiveCandidate() {
        AgentPair pair = leftBehindNat();

        pair.advanceMillis(100);

        assertThat(pair.left.localPeerReflexiveCandidates()).singleElement().satisfies(candidate -> {
            assertThat(candidate.address()).isEqualTo(LEFT_MAPPED);
            assertThat(candidate.base()).isEqualTo(LEFT_HOST);
        });
    }

    @Test
    void aLaterSignalledCandidateAtThatAddressReplacesThePeerReflexiveOne() {
        AgentPair pair = leftBehindNat();
        pair.advanceMillis(100);

        boolean accepted = pair.right.addRemoteCandidate(Candidate.serverReflexive(LEFT_MAPPED, LEFT_HOST));

        assertThat(accepted).isTrue();
        assertThat(pair.right.remoteCandidates()).singleElement()
                .extracting(Candidate::kind).isEqualTo(Candidate.Kind.SERVER_REFLEXIVE);
        assertThat(pair.right.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void aSignalledCandidateIsNotReplacedByAPeerReflexiveOne() {
        AgentPair pair = leftBehindNat();
        Candidate signalled = Candidate.serverReflexive(LEFT_MAPPED, LEFT_HOST);
        pair.right.addRemoteCandidate(signalled);

        pair.advanceMillis(100);

        assertThat(pair.right.remoteCandidates()).containsExactly(signalled);
    }
}
