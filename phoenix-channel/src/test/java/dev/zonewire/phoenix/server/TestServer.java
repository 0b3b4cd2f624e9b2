package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A channel server for the server tests: socket {@code /socket} accepts token {@code t}; topics
 * {@code room:*} join unless the payload says {@code deny}, and answer {@code ping}, {@code crash},
 * {@code close_me}, {@code push_me} and {@code later}.
 */
final class TestServer implements AutoCloseable {
    record Ended(String topic, Channel.Termination reason) {}

    final List<Ended> ended = new CopyOnWriteArrayList<>();
    final List<Channel<String>> joined = new CopyOnWriteArrayList<>();
    final List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
    final ChannelServer server;

    TestServer() throws Exception {
        this(builder -> builder);
    }

    TestServer(UnaryOperator<EndpointConfig.Builder<String>> tune) throws Exception {
        var builder = EndpointConfig.<String>builder("/socket", request -> {
            connects.add(request);
            return request.token().expose().equals("t")
                    ? AuthResult.accept("user-" + request.param("name").orElse("anonymous"))
                    : AuthResult.refuse(403, "Forbidden");
        }).topic("room:*", new Rooms());
        server = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(tune.apply(builder).build()));
    }

    int port() {
        return server.port();
    }

    RawClient connect(String vsn) throws Exception {
        return RawClient.connect(port(), "/socket/websocket?token=t&name=tester" + (vsn == null ? "" : "&vsn=" + vsn));
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Rooms implements ChannelHandler<String> {
        @Override
        public JoinReply join(Channel<String> channel, JsonNode payload) {
            if (payload.path("deny").asBoolean()) {
                return JoinReply.error("denied");
            }
            joined.add(channel);
            return JoinReply.ok(JsonNodeFactory.instance.objectNode().put("identity", channel.identity()));
        }

        @Override
        public void handleIn(Channel<String> channel, Inbound inbound) {
            switch (inbound.event()) {
                case "ping" -> inbound.replyOk(inbound.payload());
                case "crash" -> throw new IllegalStateException("the handler crashed on purpose");
                case "close_me" -> channel.close();
                case "push_me" -> channel.push("pushed", inbound.payload());
                case "later" -> Thread.ofVirtual().start(() -> {
                    sleep(Duration.ofMillis(50));
                    inbound.replyOk(JsonNodeFactory.instance.textNode("late"));
                });
                default -> inbound.replyError("unknown event");
            }
        }

        @Override
        public void terminated(Channel<String> channel, Channel.Termination reason) {
            ended.add(new Ended(channel.topic(), reason));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
