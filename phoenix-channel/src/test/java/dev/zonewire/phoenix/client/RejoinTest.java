package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.zonewire.phoenix.Message;
import org.junit.jupiter.api.Test;

/**
 * Beyond the reference (spec 1.7): when the portal's channel dies (phx_error, phx_close, or an
 * "unmatched topic" reply) the component joins its topic again instead of sitting on a dead channel.
 */
class RejoinTest {

    private static SimulatedPortal joinedPortal(long seed) {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), seed);
        portal.client.connect(0);
        portal.runUntil(MINUTE);
        return portal;
    }

    @Test
    void aPhxErrorOnTheLoginTopicIsAnsweredWithAReJoinCarryingTheSamePayload() {
        var portal = joinedPortal(30);

        portal.portalSends(Message.push("relay", Message.ERROR, JsonNodeFactory.instance.objectNode()));
        assertThat(portal.client.isJoined()).isFalse();
        portal.advanceBy(seconds(1));

        assertThat(portal.sent(Message.JOIN)).hasSize(2);
        assertThat(portal.sent(Message.JOIN).get(1).at() - MINUTE).isBetween(seconds(0.25), seconds(0.75));
        assertThat(portal.sent(Message.JOIN).get(1).what().payload()).isEqualTo(SimulatedPortal.stampSecretJoin());
        assertThat(portal.client.isJoined()).isTrue();
        assertThat(portal.joinedTimes()).hasSize(2);
        assertThat(portal.openTimes()).hasSize(1);
    }

    @Test
    void twoChannelErrorsInARowSendOnlyOneReJoin() {
        var portal = joinedPortal(31);
        portal.answersJoin = false;

        portal.portalSends(Message.push("relay", Message.ERROR, JsonNodeFactory.instance.objectNode()));
        portal.portalSends(Message.push("relay", Message.CLOSE, JsonNodeFactory.instance.objectNode()));
        portal.advanceBy(seconds(1));
        portal.portalSends(Message.push("relay", Message.CLOSE, JsonNodeFactory.instance.objectNode()));
        portal.advanceBy(seconds(1));

        assertThat(portal.sent(Message.JOIN)).hasSize(2);
    }

    @Test
    void anUnmatchedTopicReplyToAPushTriggersAReJoin() {
        var portal = joinedPortal(32);
        long ref = portal.client.push("ping", JsonNodeFactory.instance.objectNode());
        portal.advanceBy(0);

        portal.portalSends(Message.reply(null, LongNode.valueOf(ref), "relay", false,
                JsonNodeFactory.instance.objectNode().put("reason", "unmatched topic")));
        portal.advanceBy(seconds(1));

        assertThat(portal.events).anySatisfy(e -> assertThat(e.what()).isInstanceOf(ChannelEvent.ReplyError.class));
        assertThat(portal.sent(Message.JOIN)).hasSize(2);
    }

    @Test
    void aChannelThatKeepsDyingIsReJoinedWithGrowingDelaysAndAStableOneStartsAgainFromTheInitialBand() {
        var portal = joinedPortal(33);

        for (int i = 0; i < 6; i++) {
            portal.portalSends(Message.push("relay", Message.ERROR, JsonNodeFactory.instance.objectNode()));
            long killedAt = portal.now;
            portal.advanceBy(seconds(10));
            long delay = portal.sent(Message.JOIN).getLast().at() - killedAt;
            double base = 0.5 * Math.pow(1.5, i);
            assertThat(delay).as("re-join %d", i).isBetween(seconds(0.5 * base), seconds(1.5 * base));
        }

        portal.advanceBy(MINUTE);
        portal.portalSends(Message.push("relay", Message.ERROR, JsonNodeFactory.instance.objectNode()));
        long killedAt = portal.now;
        portal.advanceBy(seconds(1));

        assertThat(portal.sent(Message.JOIN).getLast().at() - killedAt).isBetween(seconds(0.25), seconds(0.75));
        assertThat(portal.failure()).isEmpty();
        assertThat(portal.openTimes()).hasSize(1);
    }

    @Test
    void channelMessagesForOtherTopicsDoNotTriggerAReJoin() {
        var portal = joinedPortal(34);

        portal.portalSends(Message.push("room:other", Message.ERROR, JsonNodeFactory.instance.objectNode()));
        portal.advanceBy(seconds(5));

        assertThat(portal.sent(Message.JOIN)).hasSize(1);
        assertThat(portal.client.stats().droppedFrames()).isEqualTo(1);
    }
}
