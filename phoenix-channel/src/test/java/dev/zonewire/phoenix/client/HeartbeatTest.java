package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.SECOND;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.zonewire.phoenix.Message;
import org.junit.jupiter.api.Test;

/** Spec 1.8: a heartbeat every 30 s; no reply within 5 s means reconnect. */
class HeartbeatTest {

    @Test
    void heartbeatsGoOutEveryThirtySecondsFromTheHandshakeOnTheTopicPhoenix() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 20);
        portal.client.connect(0);

        portal.runUntil(seconds(95));

        assertThat(portal.sent(Message.HEARTBEAT)).extracting(SimulatedPortal.Timed::at)
                .containsExactly(30 * SECOND, 60 * SECOND, 90 * SECOND);
        assertThat(portal.sent(Message.HEARTBEAT)).allSatisfy(h -> {
            assertThat(h.what().topic()).isEqualTo("phoenix");
            assertThat(h.what().payload()).isEqualTo(JsonNodeFactory.instance.objectNode());
        });
        assertThat(portal.events).filteredOn(e -> e.what() instanceof ChannelEvent.HeartbeatSent).hasSize(3);
    }

    @Test
    void anUnansweredHeartbeatReconnectsFiveSecondsLater() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 21);
        portal.answersHeartbeats = false;
        portal.client.connect(0);

        portal.runUntil(seconds(35));

        assertThat(portal.disconnects()).hasSize(1);
        assertThat(portal.disconnects().getFirst().at()).isEqualTo(35 * SECOND);
        assertThat(portal.disconnects().getFirst().what().cause()).isEqualTo("portal did not respond to our heartbeat");
        assertThat(portal.actions).anySatisfy(a -> assertThat(a.what()).isEqualTo(new DriverAction.Close(1, false)));
    }

    @Test
    void aReplyWithAnotherRefDoesNotCountAsTheHeartbeatReply() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 22);
        portal.answersHeartbeats = false;
        portal.client.connect(0);
        portal.runUntil(seconds(31));

        portal.portalSends(Message.reply(null, LongNode.valueOf(999), "phoenix", true, null));
        portal.runUntil(seconds(36));

        assertThat(portal.disconnects()).hasSize(1);
    }

    @Test
    void theHeartbeatTimerRestartsOnEveryNewConnection() {
        var portal = new SimulatedPortal(BackoffPolicy.relay().withRandomizationFactor(0), 23);
        portal.client.connect(0);
        portal.runUntil(seconds(20));

        portal.dropConnection("blip");
        portal.runUntil(seconds(51));

        // Reconnected at 20.5 s, so the first heartbeat of the new socket is due at 50.5 s.
        assertThat(portal.sent(Message.HEARTBEAT)).extracting(SimulatedPortal.Timed::at).containsExactly(seconds(50.5));
    }
}
