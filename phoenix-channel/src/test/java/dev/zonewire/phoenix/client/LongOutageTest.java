package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.5 test 2: an outage longer than the window gives up, counted from its first failure. */
class LongOutageTest {

    @Test
    void aRelayGivesUpFifteenMinutesAfterTheFirstFailureWithAClearError() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 3);
        portal.client.connect(0);
        portal.runUntil(16 * MINUTE);
        long firstFailure = portal.now;
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("connection refused"));

        portal.dropConnection("network down");
        portal.runUntil(60 * MINUTE);

        var failure = portal.failure().orElseThrow();
        // The last wait may not run past the window, and no wait is longer than 90 s (60 s + 50 %).
        assertThat(failure.at()).isBetween(firstFailure + 15 * MINUTE - 90 * SECOND, firstFailure + 15 * MINUTE);
        assertThat(portal.openTimes().size()).isGreaterThan(20);
        assertThat(failure.what()).isInstanceOf(ChannelError.MaxRetriesReached.class);
        assertThat(failure.what().message())
                .contains("gave up reconnecting to the portal")
                .contains("cannot reach the portal: connection refused");
        assertThat(failure.what().isAuthenticationError()).isFalse();
    }

    @Test
    void noAttemptIsMadeAfterGivingUp() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 4);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("no route"));
        portal.client.connect(0);
        portal.runUntil(20 * MINUTE);
        int attempts = portal.openTimes().size();

        portal.runUntil(120 * MINUTE);

        assertThat(portal.openTimes()).hasSize(attempts);
        assertThat(portal.client.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }
}
