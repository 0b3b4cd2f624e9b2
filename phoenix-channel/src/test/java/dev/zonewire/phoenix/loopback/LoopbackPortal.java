package dev.zonewire.phoenix.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.server.AuthResult;
import dev.zonewire.phoenix.server.Channel;
import dev.zonewire.phoenix.server.ChannelHandler;
import dev.zonewire.phoenix.server.ChannelServer;
import dev.zonewire.phoenix.server.EndpointConfig;
import dev.zonewire.phoenix.server.Inbound;
import dev.zonewire.phoenix.server.JoinReply;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A portal for loopback tests: our {@link ChannelServer} with a relay socket that accepts one
 * token, records joins, and answers {@code ping}. It can be stopped and started again on the
 * same port, and told to answer the next upgrades with 429 and a Retry-After.
 */
final class LoopbackPortal implements AutoCloseable {
    static final String GOOD_TOKEN = "zw-phx-very-secret-token-4f9c2e";

    final List<JsonNode> joinPayloads = new CopyOnWriteArrayList<>();
    final AtomicInteger tooManyRequestsToSend = new AtomicInteger();
    final List<Long> upgradeTimes = new CopyOnWriteArrayList<>();
    private ChannelServer server;
    private int port;

    LoopbackPortal start() throws Exception {
        server = ChannelServer.start(new InetSocketAddress("127.0.0.1", port), List.of(relayEndpoint()));
        port = server.port();
        return this;
    }

    void stop() {
        server.close();
    }

    int port() {
        return port;
    }

    ChannelServer server() {
        return server;
    }

    @Override
    public void close() {
        stop();
    }

    private EndpointConfig<String> relayEndpoint() {
        return EndpointConfig.<String>builder("/relay", request -> {
                    upgradeTimes.add(System.nanoTime());
                    if (tooManyRequestsToSend.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return new AuthResult.Refused<>(429, "Too many requests", Optional.of(Duration.ofSeconds(1)));
                    }
                    boolean good = request.token().expose().equals(GOOD_TOKEN);
                    return good ? AuthResult.accept(request.param("name").orElse("relay")) : AuthResult.refuse(401, "Invalid token");
                })
                .topic("relay", new ChannelHandler<>() {
                    @Override
                    public JoinReply join(Channel<String> channel, JsonNode payload) {
                        joinPayloads.add(payload);
                        return JoinReply.ok();
                    }

                    @Override
                    public void handleIn(Channel<String> channel, Inbound inbound) {
                        if (inbound.event().equals("ping")) {
                            inbound.replyOk(JsonNodeFactory.instance.objectNode().set("pong", inbound.payload()));
                        } else {
                            inbound.replyError("unknown event");
                        }
                    }
                })
                .idleTimeout(Duration.ofSeconds(41))
                .build();
    }
}
