package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.address;
import static dev.zonewire.snownet.ice.AgentPair.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class NominationTest {
    private static final InetSocketAddress RIGHT_RELAYED = address("198.51.100.101", 49152);

    @Test
    void bothSidesSelectTheHostPairWithinOneRoundTrip() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();

        pair.advanceMillis(40);

        assertThat(eventsOf(pair.leftEvents, IceEvent.Nominated.class))
                .containsExactly(new IceEvent.Nominated(LEFT_HOST, RIGHT_HOST));
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class))
                .containsExactly(new IceEvent.Nominated(RIGHT_HOST, LEFT_HOST));
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
        assertThat(pair.right.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void theControllingSideRenominatesWhenABetterPairSucceedsLater() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.right.addLocalCandidate(Candidate.relayed(RIGHT_RELAYED));
        pair.left.addRemoteCandidate(Candidate.relayed(RIGHT_RELAYED));
        pair.right.addRemoteCandidate(Candidate.host(LEFT_HOST));
        pair.advanceMillis(100);
        assertThat(eventsOf(pair.leftEvents, IceEvent.Nominated.class))
                .containsExactly(new IceEvent.Nominated(LEFT_HOST, RIGHT_RELAYED));

        pair.right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        pair.left.addRemoteCandidate(Candidate.host(RIGHT_HOST));
        pair.advanceMillis(100);

        assertThat(eventsOf(pair.leftEvents, IceEvent.Nominated.class)).containsExactly(
                new IceEvent.Nominated(LEFT_HOST, RIGHT_RELAYED), new IceEvent.Nominated(LEFT_HOST, RIGHT_HOST));
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class)).last()
                .isEqualTo(new IceEvent.Nominated(RIGHT_HOST, LEFT_HOST));
    }

    @Test
    void theControlledSideWaitsForUseCandidateEvenWhenItsOwnChecksSucceed() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.lose = packet -> packet.from().equals(LEFT_HOST)
                && !ConnectivityCheckFormatTest.decode(packet.bytes()).message().messageClass().isResponse();

        pair.advanceMillis(2000);

        assertThat(pair.sent).anyMatch(packet -> packet.from().equals(LEFT_HOST)
                && ConnectivityCheckFormatTest.decode(packet.bytes()).message().messageClass().isResponse());
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class)).isEmpty();
        assertThat(pair.right.state()).isEqualTo(IceState.CHECKING);
    }
}
