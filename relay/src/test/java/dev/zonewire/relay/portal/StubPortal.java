package dev.zonewire.relay.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.server.AuthResult;
import dev.zonewire.phoenix.server.Channel;
import dev.zonewire.phoenix.server.ChannelHandler;
import dev.zonewire.phoenix.server.ChannelServer;
import dev.zonewire.phoenix.server.ConnectRequest;
import dev.zonewire.phoenix.server.EndpointConfig;
import dev.zonewire.phoenix.server.Inbound;
import dev.zonewire.phoenix.server.JoinReply;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A portal for the relay's tests, on our {@link ChannelServer}: a relay socket that accepts one
 * token (others get 401 "Invalid token"), records every join with the upgrade's query parameters
 * and User-Agent, and pushes {@code init} after a join as Firezone's portal does. It can be stopped
 * and started again on the same port.
 */
public final class StubPortal implements AutoCloseable {
    public static final String TOKEN = "zw-rly-portal-token-5d1c83a0";

    /** One join: the payload, and what the upgrade that carried it said. */
    public record Join(JsonNode payload, ConnectRequest upgrade) {
    }

    private final List<Join> joins = new CopyOnWriteArrayList<>();
    private ChannelServer server;
    private int port;

    public StubPortal start() throws Exception {
        server = ChannelServer.start(new InetSocketAddress("127.0.0.1", port), List.of(relayEndpoint()));
        port = server.port();
        return this;
    }

    public void stop() {
        server.close();
    }

    /** The base URL a relay is given ({@code --api-url}). */
    public URI url() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    public List<Join> joins() {
        return List.copyOf(joins);
    }

    /** How many relay sockets are open now. */
    public int openSockets() {
        return server.openSockets();
    }

    @Override
    public void close() {
        stop();
    }

    private EndpointConfig<ConnectRequest> relayEndpoint() {
        return EndpointConfig.<ConnectRequest>builder("/relay", request -> request.token().expose().equals(TOKEN)
                        ? AuthResult.accept(request) : AuthResult.refuse(401, "Invalid token"))
                .topic("relay", new ChannelHandler<>() {
                    @Override
                    public JoinReply join(Channel<ConnectRequest> channel, JsonNode payload) {
                        joins.add(new Join(payload, channel.identity()));
                        Thread.ofVirtual().start(() -> channel.push("init", JsonNodeFactory.instance.objectNode()));
                        return JoinReply.ok();
                    }

                    @Override
                    public void handleIn(Channel<ConnectRequest> channel, Inbound inbound) {
                        inbound.replyError("unknown event");
                    }
                })
                .idleTimeout(Duration.ofSeconds(41))
                .build();
    }
}
