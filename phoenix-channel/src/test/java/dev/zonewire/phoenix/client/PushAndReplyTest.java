package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.zonewire.phoenix.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec 1.4 to 1.6 and 1.9: refs, the join frame, replies matched by ref, and the outbound queue. */
class PushAndReplyTest {

    @Test
    void theFirstJoinIsTheReferenceFrameWithRefZero() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 50);

        portal.client.connect(0);
        portal.advanceBy(0);

        var send = (DriverAction.Send) portal.actions.stream().filter(a -> a.what() instanceof DriverAction.Send).findFirst().orElseThrow().what();
        assertThat(send.frame()).isEqualTo("{\"topic\":\"relay\",\"event\":\"phx_join\",\"payload\":{\"stamp_secret\":\"" + "ab".repeat(32) + "\"},\"ref\":0}");
    }

    @Test
    void aClientJoinsWithANullPayload() {
        var portal = new SimulatedPortal(ChannelConfig.defaults("Debian/13 connlib/1.3.8", null, BackoffPolicy.gateway()), LoginUrl.Mode.CLIENT, 51);

        portal.client.connect(0);
        portal.advanceBy(0);

        assertThat(((DriverAction.Send) portal.actions.get(2).what()).frame())
                .isEqualTo("{\"topic\":\"client\",\"event\":\"phx_join\",\"payload\":null,\"ref\":0}");
    }

    @Test
    void repliesAreMatchedToTheirPushesByRef() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 52);
        portal.client.connect(0);
        portal.advanceBy(seconds(1));

        long first = portal.client.push("ask", JsonNodeFactory.instance.objectNode());
        long second = portal.client.push("ask", JsonNodeFactory.instance.objectNode());
        portal.advanceBy(0);
        portal.portalSends(Message.reply(null, LongNode.valueOf(second), "relay", false, JsonNodeFactory.instance.objectNode().put("reason", "offline")));
        portal.portalSends(Message.reply(null, LongNode.valueOf(first), "relay", true, JsonNodeFactory.instance.objectNode().put("answer", 42)));

        assertThat(portal.events).extracting(SimulatedPortal.Timed::what)
                .contains(new ChannelEvent.ReplyError(second, "offline", JsonNodeFactory.instance.objectNode().put("reason", "offline")),
                        new ChannelEvent.ReplyOk(first, JsonNodeFactory.instance.objectNode().put("answer", 42)));
    }

    @Test
    void refsComeFromOneCounterThatIsNeverResetAcrossReconnects() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 53);
        portal.client.connect(0);
        portal.runUntil(MINUTE);
        portal.dropConnection("blip");
        portal.runUntil(2 * MINUTE);

        List<Long> refs = portal.sentMessages.stream().map(m -> m.what().ref().longValue()).toList();
        assertThat(refs).isSorted().doesNotHaveDuplicates().startsWith(0L);
        assertThat(portal.sent(Message.JOIN).get(1).what().ref().longValue()).isGreaterThan(0);
    }

    @Test
    void pushesMadeWhileDisconnectedFollowTheJoinOfTheNextConnection() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 54);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("down"));
        portal.client.connect(0);
        portal.advanceBy(seconds(1));

        portal.client.push("first", TextNode.valueOf("a"));
        portal.client.push("second", TextNode.valueOf("b"));
        portal.upgrade = new SimulatedPortal.Upgrade.Accept();
        portal.advanceBy(seconds(5));

        assertThat(portal.sentMessages).extracting(m -> m.what().event()).containsExactly(Message.JOIN, "first", "second");
    }

    @Test
    void aQueueOfMoreThanThirtyTwoPushesIsDiscardedWholeBeforeTheNextOne() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 55);
        for (int i = 0; i < 34; i++) {
            portal.client.push("p" + i, null);
        }
        portal.client.connect(0);
        portal.advanceBy(seconds(1));

        var dropped = portal.events.stream().filter(e -> e.what() instanceof ChannelEvent.PushesDropped).toList();
        assertThat(dropped).hasSize(1);
        assertThat(((ChannelEvent.PushesDropped) dropped.getFirst().what()).refs()).hasSize(33);
        assertThat(portal.sentMessages).extracting(m -> m.what().event()).containsExactly(Message.JOIN, "p33");
        assertThat(portal.client.stats().pushesDropped()).isEqualTo(33);
    }

    @Test
    void serverPushesOnTheLoginTopicReachTheOwnerAsReceivedEvents() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 56);
        portal.client.connect(0);
        portal.advanceBy(0);

        portal.portalSends(Message.push("relay", "init", JsonNodeFactory.instance.objectNode().put("x", 1)));

        assertThat(portal.events).extracting(SimulatedPortal.Timed::what)
                .contains(new ChannelEvent.Received("relay", "init", JsonNodeFactory.instance.objectNode().put("x", 1)));
    }

    @Test
    void aGracefulCloseClosesTheSocketAndEndsWithClosed() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 57);
        portal.client.connect(0);
        portal.advanceBy(seconds(1));

        portal.client.close(portal.now);
        portal.advanceBy(0);
        portal.dropConnection("");

        assertThat(portal.actions.getLast().what()).isEqualTo(new DriverAction.Close(1, true));
        assertThat(portal.events.getLast().what()).isEqualTo(new ChannelEvent.Closed());
        assertThat(portal.client.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }
}
