package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spec 2.5 test 6: the last wait never runs past the window. */
class DeadlineCrossingTest {

    @Test
    void theSixthFailureGivesUpInsteadOfWaitingPastATenSecondWindow() {
        var policy = BackoffPolicy.standard(Optional.of(Duration.ofSeconds(10))).withRandomizationFactor(0);
        var portal = new SimulatedPortal(policy, 9);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("refused"));

        portal.client.connect(0);
        portal.runUntil(seconds(60));

        assertThat(portal.openTimes()).hasSize(6);
        double[] expected = {0, 0.5, 1.25, 2.375, 4.0625, 6.59375};
        for (int i = 0; i < expected.length; i++) {
            assertThat(portal.openTimes().get(i)).isCloseTo(seconds(expected[i]), org.assertj.core.data.Offset.offset(10L));
        }
        var failure = portal.failure().orElseThrow();
        assertThat(failure.at()).isEqualTo(portal.openTimes().getLast());
        assertThat(failure.what()).isInstanceOf(ChannelError.MaxRetriesReached.class);
    }
}
