package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.5 test 1: the exact regression fixed by 932f6791fb. */
class LongLivedConnectionThenOneFailureTest {

    @Test
    void aRelayConnectedForSixteenMinutesRetriesItsFirstFailureWithAnInitialDelay() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 1);
        portal.client.connect(0);
        portal.runUntil(16 * MINUTE);
        assertThat(portal.client.isJoined()).isTrue();
        assertThat(portal.sent("heartbeat")).hasSizeGreaterThanOrEqualTo(31);

        portal.dropConnection("portal deploy");
        portal.advanceBy(seconds(1));

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.openTimes()).hasSize(2);
        long delay = portal.openTimes().get(1) - 16 * MINUTE;
        assertThat(delay).isBetween(seconds(0.25), seconds(0.75));
        assertThat(portal.client.isJoined()).isTrue();
    }

    @Test
    void aMissedHeartbeatAfterSixteenMinutesIsRetriedToo() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 2);
        portal.client.connect(0);
        portal.runUntil(16 * MINUTE);

        portal.answersHeartbeats = false;
        portal.advanceBy(seconds(36));

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.disconnects()).hasSize(1);
        assertThat(portal.disconnects().getFirst().what().cause()).contains("heartbeat");
        assertThat(portal.disconnects().getFirst().what().retryIn().toMillis()).isBetween(250L, 750L);
        assertThat(portal.openTimes()).hasSize(2);
    }
}
