package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.START;
import static dev.zonewire.snownet.ice.AgentPair.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetransmissionTest {
    private static final long MS = 1_000_000L;

    @Test
    void unansweredChecksAreRepeatedWithADoublingTimeoutCappedAtMaxRto() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.lose = packet -> true;

        pair.advanceMillis(20_000);

        List<Long> sendTimes = pair.sent.stream().filter(p -> p.from().equals(LEFT_HOST))
                .map(p -> (p.arrivesAt() - pair.latencyNanos - START) / MS).toList();
        assertThat(sendTimes).containsExactly(0L, 250L, 750L, 1750L, 3250L, 4750L, 6250L, 7750L);
    }

    @Test
    void aPairFailsAfterItsChecksGoUnansweredForThe925SecondIceTimeout() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.lose = packet -> true;

        pair.advanceMillis(9_249);
        assertThat(pair.left.state()).isEqualTo(IceState.CHECKING);
        pair.advanceMillis(1);

        assertThat(IceTimings.DEFAULT.failureTimeoutNanos()).isEqualTo(9_250 * MS);
        assertThat(pair.left.state()).isEqualTo(IceState.DISCONNECTED);
        assertThat(eventsOf(pair.leftEvents, IceEvent.StateChanged.class)).containsExactly(
                new IceEvent.StateChanged(IceState.CHECKING), new IceEvent.StateChanged(IceState.DISCONNECTED));
    }

    @Test
    void aLostCheckIsRepeatedAndTheConnectionStillForms() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        int[] dropped = {0};
        pair.lose = packet -> dropped[0]++ < 3;

        pair.advanceMillis(1_000);

        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
        assertThat(pair.right.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void aWorkingPairIsCheckedEveryMaxRtoAsAKeepalive() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.advanceMillis(1_000);
        int before = pair.sent.size();

        pair.advanceMillis(15_000);

        long leftRequests = pair.sent.subList(before, pair.sent.size()).stream()
                .filter(p -> p.from().equals(LEFT_HOST))
                .filter(p -> !ConnectivityCheckFormatTest.decode(p.bytes()).message().messageClass().isResponse())
                .count();
        assertThat(leftRequests).isEqualTo(10);
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void whenThePeerGoesSilentTheNominationIsLostWithinTheIceTimeoutPlusOneKeepalive() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.advanceMillis(1_000);
        pair.lose = packet -> true;

        pair.advanceMillis(9_250 + 1_500);

        assertThat(eventsOf(pair.leftEvents, IceEvent.NominationLost.class))
                .containsExactly(new IceEvent.NominationLost(LEFT_HOST, RIGHT_HOST));
        assertThat(pair.left.state()).isEqualTo(IceState.DISCONNECTED);
    }

    @Test
    void idleTimingsSlowKeepalivesToOneAMinute() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.advanceMillis(1_000);
        pair.left.setTimings(IceTimings.IDLE);
        pair.right.setTimings(IceTimings.IDLE);
        pair.advanceMillis(2_000);
        int before = pair.sent.size();

        pair.advanceMillis(118_000);

        long leftRequests = pair.sent.subList(before, pair.sent.size()).stream()
                .filter(p -> p.from().equals(LEFT_HOST))
                .filter(p -> !ConnectivityCheckFormatTest.decode(p.bytes()).message().messageClass().isResponse())
                .count();
        assertThat(leftRequests).isEqualTo(2);
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
    }
}
