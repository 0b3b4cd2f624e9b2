package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.zonewire.phoenix.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames a broken or hostile portal might send are dropped, counted and logged; the channel stays joined. */
class HostilePortalFramesTest {

    private static SimulatedPortal joinedPortal() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 60);
        portal.client.connect(0);
        portal.runUntil(MINUTE);
        return portal;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "not json", "[1,2,3]", "{\"topic\":1,\"event\":\"x\"}", "{\"topic\":\"relay\"}",
            "{\"topic\":\"relay\",\"event\":\"x\"} trailing", "\"just a string\"", "null", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"})
    void aMalformedFrameIsDroppedAndCounted(String frame) {
        var portal = joinedPortal();

        portal.portalSendsRaw(frame);

        assertThat(portal.client.stats().malformedFrames()).isEqualTo(1);
        assertThat(portal.client.isJoined()).isTrue();
        assertThat(portal.disconnects()).isEmpty();
    }

    @Test
    void repliesToUnknownRefsOrWithoutARefAreDropped() {
        var portal = joinedPortal();

        portal.portalSends(Message.reply(null, com.fasterxml.jackson.databind.node.LongNode.valueOf(123456), "relay", true, null));
        portal.portalSends(Message.reply(null, null, "relay", true, null));
        portal.portalSends(Message.reply(null, TextNode.valueOf("not-a-number"), "relay", true, null));

        assertThat(portal.client.stats().droppedFrames()).isEqualTo(3);
        assertThat(portal.events).noneSatisfy(e -> assertThat(e.what()).isInstanceOf(ChannelEvent.ReplyOk.class));
        assertThat(portal.client.isJoined()).isTrue();
    }

    @Test
    void unknownEventsAreHandedToTheOwnerWhoDecides() {
        var portal = joinedPortal();

        portal.portalSends(Message.push("relay", "something_new", JsonNodeFactory.instance.arrayNode()));

        assertThat(portal.events.getLast().what()).isEqualTo(new ChannelEvent.Received("relay", "something_new", JsonNodeFactory.instance.arrayNode()));
        assertThat(portal.client.isJoined()).isTrue();
    }

    @Test
    void framesForAnAbandonedSocketAreIgnored() {
        var portal = joinedPortal();
        portal.dropConnection("blip");
        portal.advanceBy(MINUTE);

        portal.client.handleFrame(1, "{\"topic\":\"relay\",\"event\":\"disconnect\",\"payload\":{},\"ref\":null}", portal.now);
        portal.client.handleClosed(1, "late close", portal.now);
        portal.advanceBy(MINUTE);

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.disconnects()).hasSize(1);
        assertThat(portal.client.isJoined()).isTrue();
    }
}
