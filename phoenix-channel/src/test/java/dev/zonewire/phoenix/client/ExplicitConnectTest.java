package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.4 and 2.5 test 5: connect() with a new URL cuts a backoff wait short; the same URL does not. */
class ExplicitConnectTest {

    private SimulatedPortal portalWaitingOutALongDelay() {
        var portal = new SimulatedPortal(
                ChannelConfig.defaults("Debian/13 connlib/1.4.2", null, BackoffPolicy.gateway().withRandomizationFactor(0)),
                LoginUrl.Mode.GATEWAY, 8);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("down"));
        portal.client.connect(0);
        // Delays without jitter: 0.5, 0.75, ... the 11th is 28.8 s and the 12th 43.2 s.
        portal.runUntil(2 * MINUTE);
        assertThat(portal.disconnects().getLast().what().retryIn().toSeconds()).isGreaterThanOrEqualTo(40);
        return portal;
    }

    @Test
    void connectingWithANewPublicKeyStartsAnAttemptAtOnceWithAFreshWindow() {
        var portal = portalWaitingOutALongDelay();
        int attemptsBefore = portal.openTimes().size();
        portal.advanceBy(SECOND);

        portal.client.connect(SimulatedPortal.url(LoginUrl.Mode.GATEWAY, "key-two"), portal.now);
        portal.advanceBy(0);

        assertThat(portal.openTimes()).hasSize(attemptsBefore + 1);
        assertThat(portal.openTimes().getLast()).isEqualTo(portal.now);
        assertThat(portal.disconnects().getLast().what().retryIn().toMillis()).isEqualTo(500);
    }

    @Test
    void connectingWithTheSameUrlDuringAnAttemptChangesNothing() {
        var portal = portalWaitingOutALongDelay();
        int attemptsBefore = portal.openTimes().size();
        long timeout = portal.client.pollTimeout();

        portal.client.connect(SimulatedPortal.url(LoginUrl.Mode.GATEWAY, "key-one"), portal.now);
        portal.advanceBy(0);

        assertThat(portal.openTimes()).hasSize(attemptsBefore);
        assertThat(portal.client.pollTimeout()).isEqualTo(timeout);
    }
}
