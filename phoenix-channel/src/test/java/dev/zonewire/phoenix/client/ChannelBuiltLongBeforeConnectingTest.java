package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.5 test 3: the channel's age does not count against the window. */
class ChannelBuiltLongBeforeConnectingTest {

    @Test
    void aFirstAttemptTwentyMinutesAfterConstructionIsRetriedWhenItFails() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 5);
        portal.runUntil(20 * MINUTE);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.HandshakeFailed("TLS alert"));

        portal.client.connect(portal.now);
        portal.advanceBy(seconds(1));

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.openTimes()).hasSize(2);
        assertThat(portal.openTimes().get(1) - 20 * MINUTE).isBetween(seconds(0.25), seconds(0.75));
    }
}
