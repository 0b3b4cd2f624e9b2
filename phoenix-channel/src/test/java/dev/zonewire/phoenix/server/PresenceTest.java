package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Presence lives as long as the channel that tracked it (spec 4) and announces joins and leaves. */
class PresenceTest {

    @Test
    void aTrackedRelayIsListedWhileItsChannelLivesAndLeavesWhenItsSocketCloses() throws Exception {
        List<Presence.Diff> diffs = new CopyOnWriteArrayList<>();
        JsonNode meta = JsonNodeFactory.instance.objectNode().put("online_at", 1700000000).put("secret", "s");
        ChannelServer[] holder = new ChannelServer[1];
        var endpoint = EndpointConfig.<String>builder("/relay", request -> AuthResult.accept("relay-7"))
                .topic("relay", new ChannelHandler<>() {
                    @Override
                    public JoinReply join(Channel<String> channel, JsonNode payload) {
                        holder[0].presence().track(channel, "presences:global_relays", channel.identity(), meta);
                        return JoinReply.ok();
                    }

                    @Override
                    public void handleIn(Channel<String> channel, Inbound inbound) {}
                }).build();
        try (var server = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(endpoint))) {
            holder[0] = server;
            server.presence().subscribe("presences:global_relays", diffs::add);
            var relay = RawClient.connect(server.port(), "/relay/websocket?token=t");
            relay.send("{\"topic\":\"relay\",\"event\":\"phx_join\",\"payload\":{},\"ref\":0}");
            relay.await("phx_reply");

            assertThat(server.presence().list("presences:global_relays")).isEqualTo(Map.of("relay-7", List.of(meta)));

            relay.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (diffs.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(diffs).containsExactly(
                    new Presence.Diff("presences:global_relays", Map.of("relay-7", List.of(meta)), Map.of()),
                    new Presence.Diff("presences:global_relays", Map.of(), Map.of("relay-7", List.of(meta))));
            assertThat(server.presence().list("presences:global_relays")).isEmpty();
        }
    }

    @Test
    void untrackingAnnouncesALeaveAndUntrackingSomethingUnknownDoesNothing() throws Exception {
        List<Presence.Diff> diffs = new CopyOnWriteArrayList<>();
        JsonNode meta = JsonNodeFactory.instance.objectNode().put("online_at", 1);
        try (var server = new TestServer(); var gateway = server.connect(null)) {
            var presence = server.server.presence();
            presence.subscribe("presences:account_gateways:a", diffs::add);
            gateway.send("{\"topic\":\"room:g\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            gateway.await("phx_reply");
            Channel<String> channel = server.joined.getFirst();

            presence.untrack(channel, "presences:unknown", "g-1");
            presence.track(channel, "presences:account_gateways:a", "g-1", meta);
            presence.untrack(channel, "presences:account_gateways:a", "g-1");

            assertThat(diffs).containsExactly(
                    new Presence.Diff("presences:account_gateways:a", Map.of("g-1", List.of(meta)), Map.of()),
                    new Presence.Diff("presences:account_gateways:a", Map.of(), Map.of("g-1", List.of(meta))));
            assertThat(presence.list("presences:account_gateways:a")).isEmpty();
        }
    }

    @Test
    void anEndingChannelTakesAllItStillTracksAndNothingOfOtherChannels() throws Exception {
        JsonNode meta = JsonNodeFactory.instance.objectNode().put("online_at", 1);
        try (var server = new TestServer(); var first = server.connect(null); var second = server.connect(null)) {
            var presence = server.server.presence();
            first.send("{\"topic\":\"room:g\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            first.await("phx_reply");
            second.send("{\"topic\":\"room:g\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            second.await("phx_reply");
            Channel<String> ending = server.joined.get(0);
            Channel<String> staying = server.joined.get(1);
            presence.track(ending, "presences:a", "g-1", meta);
            presence.untrack(ending, "presences:a", "g-1");
            presence.track(ending, "presences:b", "g-1", meta);
            presence.track(ending, "presences:c", "g-1", meta);
            presence.track(staying, "presences:b", "g-2", meta);

            ending.close();

            assertThat(presence.list("presences:a")).isEmpty();
            assertThat(presence.list("presences:b")).isEqualTo(Map.of("g-2", List.of(meta)));
            assertThat(presence.list("presences:c")).isEmpty();
        }
    }

    @Test
    void anUnsubscribedListenerHearsNothingMore() throws Exception {
        var presence = new Presence();
        List<Presence.Diff> diffs = new CopyOnWriteArrayList<>();
        var subscription = presence.subscribe("t", diffs::add);

        subscription.close();

        assertThat(presence.list("t")).isEmpty();
        assertThat(diffs).isEmpty();
    }
}
