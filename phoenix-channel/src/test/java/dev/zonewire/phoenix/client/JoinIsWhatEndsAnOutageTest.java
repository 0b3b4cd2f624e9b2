package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.Message;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Spec 2.5 test 9, with this port's deliberate choices: an outage ends when the topic is joined
 * again, not at the WebSocket handshake, and phx_close is answered with a re-join on the same socket.
 */
class JoinIsWhatEndsAnOutageTest {

    @Test
    void aPortalThatAcceptsSocketsAndClosesThemAtOnceDoesNotResetTheBackoff() {
        var portal = new SimulatedPortal(BackoffPolicy.relay().withRandomizationFactor(0), 14);
        portal.upgrade = new SimulatedPortal.Upgrade.AcceptThenClose();

        portal.client.connect(0);
        portal.runUntil(seconds(10));

        assertThat(portal.disconnects()).extracting(d -> d.what().retryIn())
                .startsWith(Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofNanos(1_125_000_000L));
        assertThat(portal.joinedTimes()).isEmpty();
    }

    @Test
    void aPortalThatAcceptsSocketsAndClosesThemAtOnceStillReachesTheWindow() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 15);
        portal.upgrade = new SimulatedPortal.Upgrade.AcceptThenClose();

        portal.client.connect(0);
        portal.runUntil(20 * MINUTE);

        assertThat(portal.failure().orElseThrow().what()).isInstanceOf(ChannelError.MaxRetriesReached.class);
    }

    @Test
    void aPhxCloseRightAfterTheJoinIsAnsweredWithAReJoinOnTheSameSocket() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 16);
        portal.client.connect(0);
        portal.advanceBy(0);

        portal.portalSends(Message.push("relay", Message.CLOSE, JsonNodeFactory.instance.objectNode()));
        portal.advanceBy(seconds(1));

        assertThat(portal.openTimes()).hasSize(1);
        assertThat(portal.sent(Message.JOIN)).hasSize(2);
        assertThat(portal.sent(Message.JOIN).get(1).at()).isBetween(seconds(0.25), seconds(0.75));
        assertThat(portal.client.isJoined()).isTrue();
    }

    @Test
    void aPortalThatNeverAnswersTheJoinIsAnOutage() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 17);
        portal.answersJoin = false;

        portal.client.connect(0);
        portal.runUntil(seconds(11));

        assertThat(portal.disconnects()).hasSize(1);
        assertThat(portal.disconnects().getFirst().what().cause()).contains("did not answer our join");
        assertThat(portal.disconnects().getFirst().at()).isEqualTo(seconds(10));
        assertThat(portal.failure()).isEmpty();
        assertThat(Optional.of(portal.openTimes().size())).contains(2);
    }
}
