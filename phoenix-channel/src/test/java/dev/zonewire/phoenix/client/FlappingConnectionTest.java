package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.5 test 4: every outage of a flapping connection gets a fresh window. */
class FlappingConnectionTest {

    @Test
    void tenOutagesOverOneHundredMinutesAreAllRetriedFromTheInitialBand() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 6);
        portal.client.connect(0);

        for (int round = 0; round < 10; round++) {
            portal.advanceBy(10 * MINUTE);
            assertThat(portal.client.isJoined()).isTrue();
            portal.dropConnection("flap " + round);
            portal.advanceBy(seconds(1));
        }

        assertThat(portal.now).isGreaterThan(100 * MINUTE);
        assertThat(portal.failure()).isEmpty();
        assertThat(portal.disconnects()).hasSize(10)
                .allSatisfy(d -> assertThat(d.what().retryIn().toMillis()).isBetween(250L, 750L));
        assertThat(portal.joinedTimes()).hasSize(11);
    }

    @Test
    void theWindowRestartsAtEachOutageEvenWhenEachOutageIsLong() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 7);
        portal.client.connect(0);
        for (int round = 0; round < 3; round++) {
            portal.advanceBy(MINUTE);
            portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("down"));
            portal.dropConnection("outage " + round);
            portal.advanceBy(10 * MINUTE);
            portal.upgrade = new SimulatedPortal.Upgrade.Accept();
            portal.advanceBy(2 * MINUTE);
            assertThat(portal.client.isJoined()).as("joined again after outage %d", round).isTrue();
        }

        assertThat(portal.failure()).isEmpty();
    }
}
