package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.Test;

/**
 * A portal that sends garbage over a real socket: malformed JSON, replies to refs nobody sent,
 * unknown events and topics are dropped while the client stays joined; an oversized frame costs
 * one reconnect, after which the client is joined again.
 */
class HostilePortalTest {
    private static final List<String> GARBAGE = List.of(
            "this is not json",
            "{\"topic\":\"relay\"",
            "{\"topic\":\"relay\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":987654}",
            "{\"topic\":\"relay\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":null}",
            "{\"topic\":\"elsewhere\",\"event\":\"phx_error\",\"payload\":{},\"ref\":null}",
            "{\"topic\":\"relay\",\"event\":\"brand_new_event\",\"payload\":[1,2,3],\"ref\":null}");

    @Test
    void garbageIsDroppedWithoutLosingTheChannelAndAnOversizedFrameCostsOneReconnect() throws Exception {
        var connections = new AtomicInteger();
        var jetty = new Server();
        var connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> container.addMapping("/relay/websocket",
                (request, response, callback) -> new HostileEndpoint(connections.incrementAndGet() == 1))));
        jetty.start();
        try {
            var events = new EventRecorder();
            var config = Relays.config().withMaxFrameBytes(4096);
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            try (var channel = PortalChannel.start(config, Relays.url("127.0.0.1", port, "zw-phx-token"), events)) {
                events.await(ChannelEvent.Joined.class, 2);

                var afterGarbage = new ChannelEvent.Received("relay", "after_garbage", dev.zonewire.phoenix.Json.parse("{}"));
                var firstLoss = events.events.stream().filter(ChannelEvent.Disconnected.class::isInstance).findFirst().orElseThrow();
                assertThat(events.events.indexOf(firstLoss)).isGreaterThan(events.events.indexOf(afterGarbage));
                assertThat(events.events.indexOf(afterGarbage)).isPositive();
                assertThat(((ChannelEvent.Disconnected) firstLoss).cause()).contains("1009");
                assertThat(events.count(ChannelEvent.Disconnected.class)).isEqualTo(1);
                assertThat(events.events).contains(new ChannelEvent.Received("relay", "brand_new_event",
                        dev.zonewire.phoenix.Json.parse("[1,2,3]")));
                assertThat(channel.stats().malformedFrames()).isEqualTo(2);
                assertThat(channel.stats().droppedFrames()).isEqualTo(3);
                assertThat(connections.get()).isEqualTo(2);
                assertThat(events.count(ChannelEvent.Failed.class)).isZero();
            }
        } finally {
            jetty.stop();
        }
    }

    /** Answers the join, then (on the first connection only) sends garbage and an oversized frame. */
    public static final class HostileEndpoint implements Session.Listener.AutoDemanding {
        private final boolean misbehave;
        private Session session;

        HostileEndpoint(boolean misbehave) {
            this.misbehave = misbehave;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            this.session = opened;
        }

        @Override
        public void onWebSocketText(String frame) {
            if (!frame.contains("phx_join")) {
                return;
            }
            String ref = frame.replaceAll(".*\"ref\":(\\d+).*", "$1");
            session.sendText("{\"topic\":\"relay\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":" + ref + "}", Callback.NOOP);
            if (!misbehave) {
                return;
            }
            for (String garbage : GARBAGE) {
                session.sendText(garbage, Callback.NOOP);
            }
            session.sendText("{\"topic\":\"relay\",\"event\":\"after_garbage\",\"payload\":{},\"ref\":null}", Callback.NOOP);
            session.sendText("{\"topic\":\"relay\",\"event\":\"huge\",\"payload\":\"" + "x".repeat(10_000) + "\",\"ref\":null}", Callback.NOOP);
        }
    }
}
