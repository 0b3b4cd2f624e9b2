package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.Json;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code phoenix} npm client, run with node, against our server: it joins, pushes and
 * gets replies (ok and error), receives a broadcast and has its heartbeats answered, with the V1
 * and the V2 serializer.
 */
class JavaScriptClientInteropTest {
    private final List<String> joinPayloads = new CopyOnWriteArrayList<>();
    private ChannelServer server;

    @BeforeAll
    static void installTheJavaScriptClient() throws Exception {
        NodeInterop.prepare();
    }

    @BeforeEach
    void startServer() throws Exception {
        ChannelHandler<String> rooms = new ChannelHandler<>() {
            @Override
            public JoinReply join(Channel<String> channel, JsonNode payload) {
                joinPayloads.add(channel.identity() + ":" + payload.path("nickname").asText());
                return JoinReply.ok(JsonNodeFactory.instance.objectNode().put("welcome", channel.topic()));
            }

            @Override
            public void handleIn(Channel<String> channel, Inbound inbound) {
                switch (inbound.event()) {
                    case "ping" -> inbound.replyOk(JsonNodeFactory.instance.objectNode().set("pong", inbound.payload()));
                    case "shout" -> server.broadcast(channel.topic(), "shout", inbound.payload());
                    default -> inbound.replyError("unknown event " + inbound.event());
                }
            }
        };
        var endpoint = EndpointConfig.<String>builder("/socket",
                        request -> request.token().expose().equals("js-token")
                                ? AuthResult.accept("node-user")
                                : AuthResult.refuse(401, "Invalid token"))
                .topic("room:*", rooms)
                .build();
        server = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(endpoint));
        warmUp();
    }

    /**
     * The JavaScript client allows one heartbeat interval for every reply; a server still loading
     * its classes on a busy machine could miss that on the first frames, so one exchange runs first.
     */
    private void warmUp() throws Exception {
        try (var client = RawClient.connect(server.port(), "/socket/websocket?token=js-token&vsn=2.0.0")) {
            client.send("[\"1\",\"1\",\"room:warm-up\",\"phx_join\",{}]");
            client.send("[\"1\",\"2\",\"room:warm-up\",\"ping\",{}]");
            client.send("[\"1\",\"3\",\"room:warm-up\",\"shout\",{}]");
            client.send("[null,\"4\",\"phoenix\",\"heartbeat\",{}]");
            client.await(f -> f.contains("\"4\""), java.time.Duration.ofSeconds(30));
        }
        joinPayloads.clear();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "vsn {0}")
    @ValueSource(strings = {"1.0.0", "2.0.0"})
    void theOfficialClientJoinsPushesReceivesABroadcastAndHeartbeats(String vsn) throws Exception {
        long heartbeatsBefore = server.stats().heartbeats();

        var run = NodeInterop.node("ws://127.0.0.1:" + server.port() + "/socket", vsn);

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode result = Json.parse(run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(result.path("joined").asBoolean()).isTrue();
        assertThat(result.path("reply")).isEqualTo(Json.parse("{\"pong\":{\"n\":7}}"));
        assertThat(result.path("errorReply")).isEqualTo(Json.parse("{\"reason\":\"unknown event refuse_me\"}"));
        assertThat(result.path("broadcast")).isEqualTo(Json.parse("{\"text\":\"hello everyone\"}"));
        assertThat(result.path("heartbeatReplies").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(joinPayloads).containsExactly("node-user:node");
        assertThat(server.stats().heartbeats() - heartbeatsBefore).isGreaterThanOrEqualTo(3);
        assertThat(server.stats().malformedFrames()).isZero();
    }
}
