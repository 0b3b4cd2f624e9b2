package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zonewire.common.Secret;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.Serializer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Phoenix channel server on Jetty 12 WebSockets, for the portal to build on. Each
 * {@link EndpointConfig} is one Phoenix socket at {@code <path>/websocket}; the {@code vsn} query
 * parameter picks the V1 (object) or V2 (array) JSON serializer. Authentication happens at the
 * upgrade, topics are served by {@link ChannelHandler}s, and {@link #broadcast} reaches every
 * channel joined to a topic.
 */
public final class ChannelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelServer.class);
    /** Jetty's own idle timeout only backs up ours, which counts received frames alone. */
    static final Duration JETTY_IDLE_MARGIN = Duration.ofSeconds(30);

    private final Server jetty;
    private final ServerConnector connector;
    private final ScheduledExecutorService idleChecker;
    private final Set<SocketConnection<?>> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Channel<?>>> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong socketIds = new AtomicLong();
    private final Presence presence = new Presence();
    private final ServerStats stats = new ServerStats();

    private ChannelServer(InetSocketAddress bind, List<EndpointConfig<?>> endpoints) {
        var threads = new QueuedThreadPool();
        threads.setName("zw-phx-server");
        this.jetty = new Server(threads);
        this.connector = new ServerConnector(jetty);
        connector.setHost(bind.getHostString());
        connector.setPort(bind.getPort());
        jetty.addConnector(connector);
        long maxFrame = endpoints.stream().mapToLong(EndpointConfig::maxFrameBytes).max().orElse(1 << 20);
        Duration longestIdle = endpoints.stream().map(EndpointConfig::idleTimeout).max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        var upgrades = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(maxFrame);
            container.setMaxBinaryMessageSize(maxFrame);
            container.setIdleTimeout(longestIdle.plus(JETTY_IDLE_MARGIN));
            for (EndpointConfig<?> endpoint : endpoints) {
                container.addMapping(endpoint.path() + "/websocket",
                        (request, response, callback) -> upgrade(endpoint, request, response, callback));
            }
        });
        jetty.setHandler(upgrades);
        this.idleChecker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("zw-phx-idle").daemon().factory());
        Duration shortestIdle = endpoints.stream().map(EndpointConfig::idleTimeout).min(Duration::compareTo).orElse(Duration.ofMinutes(1));
        long period = Math.max(20, Math.min(1000, shortestIdle.toMillis() / 4));
        idleChecker.scheduleAtFixedRate(this::closeIdleSockets, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts a server on {@code bind} (port 0 picks a free port) serving {@code endpoints}. */
    public static ChannelServer start(InetSocketAddress bind, List<EndpointConfig<?>> endpoints) throws Exception {
        var server = new ChannelServer(bind, endpoints);
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.idleChecker.shutdownNow();
            throw e;
        }
        LOG.info("channel server listening on {}:{}", bind.getHostString(), server.port());
        return server;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Pushes {@code event} to every channel joined to {@code topic} and returns how many it reached.
     * Each serializer encodes the message once.
     */
    public int broadcast(String topic, String event, JsonNode payload) {
        Message message = Message.push(topic, event, payload);
        Map<Serializer, String> encoded = new HashMap<>();
        int reached = 0;
        for (Channel<?> channel : subscribers.getOrDefault(topic, Set.of())) {
            SocketConnection<?> socket = channel.socket();
            String frame = encoded.computeIfAbsent(socket.serializer(), s -> s.encode(message));
            if (channel.isOpen() && socket.sendFrame(frame)) {
                reached++;
            }
        }
        return reached;
    }

    public Presence presence() {
        return presence;
    }

    public ServerStats stats() {
        return stats;
    }

    /**
     * Closes every socket whose identity matches, at once and with all its channels, as Phoenix's
     * socket-level {@code disconnect} broadcast does when a token is deleted: a socket is
     * authenticated only at its upgrade, so a revoked identity must not keep one open (it could
     * join topics again). Returns how many sockets it closed.
     */
    public int disconnect(Predicate<Object> identityMatches) {
        int closed = 0;
        for (SocketConnection<?> socket : sockets) {
            if (identityMatches.test(socket.identity())) {
                socket.disconnect();
                closed++;
            }
        }
        return closed;
    }

    /** How many sockets are open now. */
    public int openSockets() {
        return sockets.size();
    }

    /** Closes every socket with 1001 and stops listening. */
    @Override
    public void close() {
        idleChecker.shutdownNow();
        sockets.forEach(SocketConnection::shutdown);
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the channel server failed: {}", e.toString());
        }
    }

    // ---- for the sockets ----

    void register(SocketConnection<?> socket) {
        sockets.add(socket);
    }

    void unregister(SocketConnection<?> socket) {
        sockets.remove(socket);
    }

    void subscribe(Channel<?> channel) {
        subscribers.computeIfAbsent(channel.topic(), t -> ConcurrentHashMap.newKeySet()).add(channel);
    }

    void unsubscribe(Channel<?> channel) {
        subscribers.computeIfPresent(channel.topic(), (topic, channels) -> {
            channels.remove(channel);
            return channels.isEmpty() ? null : channels;
        });
        presence.untrackAll(channel);
    }

    // ---- the upgrade ----

    private <I> Object upgrade(EndpointConfig<I> endpoint, ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (endpoint.checkOrigin() && !sameOrigin(request)) {
            LOG.info("refused a socket on {} from {}: foreign origin", endpoint.path(), request.getConnectionMetaData().getRemoteSocketAddress());
            return refuse(response, callback, 403, "Forbidden", Optional.empty());
        }
        Fields query = Request.extractQueryParameters(request);
        Optional<Serializer> serializer = Serializer.forVsn(query.getValue("vsn"));
        if (serializer.isEmpty()) {
            return refuse(response, callback, 400, "Unsupported serializer version", Optional.empty());
        }
        String token = query.getValue("token");
        if (token == null || token.isEmpty()) {
            return refuse(response, callback, 401, "Missing token", Optional.empty());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Fields.Field field : query) {
            if (!field.getName().equals("token")) {
                params.put(field.getName(), field.getValue());
            }
        }
        var remote = request.getConnectionMetaData().getRemoteSocketAddress();
        var connect = new ConnectRequest(Secret.of(token), Map.copyOf(params),
                Optional.ofNullable(request.getHeaders().get(HttpHeader.USER_AGENT)).orElse(""), remote,
                name -> request.getHeaders().get(name));
        AuthResult<I> result;
        try {
            result = endpoint.authenticator().authenticate(connect);
        } catch (RuntimeException bug) {
            LOG.error("the authenticator of {} failed", endpoint.path(), bug);
            return refuse(response, callback, 500, "Internal server error", Optional.empty());
        }
        return switch (result) {
            case AuthResult.Refused<I>(int status, String body, Optional<Duration> retryAfter) -> {
                LOG.info("refused a socket on {} from {} with {}", endpoint.path(), remote, status);
                yield refuse(response, callback, status, body, retryAfter);
            }
            case AuthResult.Accepted<I>(I identity) -> new SocketConnection<>(this, endpoint, serializer.get(), identity,
                    "s" + socketIds.incrementAndGet(), remote);
        };
    }

    /** No Origin (components send none), or one whose host is the host the request was sent to. */
    private static boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            String host = URI.create(origin.trim()).getHost();
            return host != null && host.equalsIgnoreCase(Request.getServerName(request));
        } catch (IllegalArgumentException unparseable) {
            return false;
        }
    }

    private Object refuse(Response response, Callback callback, int status, String body, Optional<Duration> retryAfter) {
        stats.refusedUpgrades.increment();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        retryAfter.ifPresent(delay -> response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(delay.toSeconds())));
        Content.Sink.write(response, true, body, callback);
        return null;
    }

    private void closeIdleSockets() {
        long now = System.nanoTime();
        for (SocketConnection<?> socket : sockets) {
            if (now - socket.lastReceivedNanos() > socket.endpoint().idleTimeout().toNanos()) {
                socket.closeIdle();
            }
        }
    }
}
