package dev.zonewire.phoenix.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver that runs a {@link ChannelClient} over a real WebSocket (Jetty's client). It owns one
 * loop thread that handles timers and delivers events to the owner's listener; socket callbacks
 * and {@link #push} feed the core under a lock. DNS is resolved here, on a virtual thread, and the
 * addresses the core chose are handed to Jetty through a {@link SocketAddressResolver}, so the
 * socket connects to them while the Host header and TLS server name stay the portal's name.
 */
public final class PortalChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortalChannel.class);

    private final Object lock = new Object();
    private final ChannelClient core;
    private final ChannelConfig config;
    private final HostResolver resolver;
    private final Consumer<ChannelEvent> listener;
    private final WebSocketClient webSockets;
    private final Thread loop;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile List<InetSocketAddress> attemptAddresses = List.of();
    private volatile boolean running = true;
    private Session session;
    private long sessionAttempt = -1;
    private long latestOpenAttempt = -1;
    private long abandonedUpTo = -1;
    private volatile String tokenText;

    private PortalChannel(ChannelConfig config, LoginUrl url, HostResolver resolver, Consumer<ChannelEvent> listener) {
        this.config = config;
        this.resolver = resolver;
        this.listener = listener;
        this.core = new ChannelClient(config, url, new SplittableRandom());
        this.tokenText = url.token().expose();
        HttpClient http = new HttpClient();
        http.setSocketAddressResolver(this::resolveToChosenAddresses);
        http.setConnectTimeout(config.connectTimeoutPerAddress().toMillis());
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        // Jetty's defaults, stated so that no later change weakens them: the JVM's trusted CAs, and the
        // certificate must name the portal's host (the Host header's name, not the address dialled).
        var tls = new SslContextFactory.Client(false);
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        http.setSslContextFactory(tls);
        this.webSockets = new WebSocketClient(http);
        this.webSockets.setIdleTimeout(Duration.ZERO); // the heartbeat decides when the portal is gone
        this.webSockets.setMaxTextMessageSize(config.maxFrameBytes());
        this.webSockets.setMaxBinaryMessageSize(config.maxFrameBytes());
        this.loop = Thread.ofPlatform().name("zw-phx-channel-" + url.mode().topic()).daemon().unstarted(this::runLoop);
    }

    /**
     * Starts connecting to {@code url}; {@code listener} receives every {@link ChannelEvent} on the
     * channel's own thread and must not block it for long.
     */
    public static PortalChannel start(ChannelConfig config, LoginUrl url, Consumer<ChannelEvent> listener) {
        return start(config, url, HostResolver.SYSTEM, listener);
    }

    /** Like {@link #start(ChannelConfig, LoginUrl, Consumer)}, resolving the portal's host with {@code resolver}. */
    public static PortalChannel start(ChannelConfig config, LoginUrl url, HostResolver resolver, Consumer<ChannelEvent> listener) {
        var channel = new PortalChannel(config, url, resolver, listener);
        try {
            channel.webSockets.start();
        } catch (Exception e) {
            channel.stopWebSockets();
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
        synchronized (channel.lock) {
            channel.core.connect(System.nanoTime());
        }
        channel.loop.start();
        return channel;
    }

    /** Pushes {@code event} on the login topic; the returned ref comes back in the reply event. */
    public long push(String event, JsonNode payload) {
        long ref;
        synchronized (lock) {
            ref = core.push(event, payload);
            performActions();
        }
        wakeUp();
        return ref;
    }

    /** Reconnects with a new URL (a new public key after a reset); see {@link ChannelClient#connect(LoginUrl, long)}. */
    public void reconnect(LoginUrl url) {
        synchronized (lock) {
            tokenText = url.token().expose();
            core.connect(url, System.nanoTime());
            performActions();
        }
        wakeUp();
    }

    public boolean isJoined() {
        synchronized (lock) {
            return core.isJoined();
        }
    }

    public ChannelClient.ChannelStats stats() {
        synchronized (lock) {
            return core.stats();
        }
    }

    /** Closes the connection gracefully and waits (up to the close timeout and a little more) for it. */
    @Override
    public void close() {
        synchronized (lock) {
            core.close(System.nanoTime());
            performActions();
        }
        wakeUp();
        if (Thread.currentThread() == loop) {
            return; // called from the listener: the loop finishes by itself once the close completes
        }
        try {
            finished.await(config.closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopWebSockets();
    }

    /** Waits until the channel has failed or been closed. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- the loop ----

    private void runLoop() {
        try {
            while (running) {
                List<ChannelEvent> events = new ArrayList<>();
                long timeout;
                synchronized (lock) {
                    long now = System.nanoTime();
                    if (core.pollTimeout() <= now) {
                        core.handleTimeout(now);
                    }
                    performActions();
                    for (ChannelEvent event; (event = core.pollEvent()) != null; ) {
                        events.add(event);
                    }
                    timeout = core.pollTimeout();
                }
                for (ChannelEvent event : events) {
                    deliver(event);
                    if (event instanceof ChannelEvent.Failed || event instanceof ChannelEvent.Closed) {
                        running = false;
                    }
                }
                if (running && events.isEmpty()) {
                    long wait = timeout == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : timeout - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
        } finally {
            finished.countDown();
            Thread.ofVirtual().start(this::stopWebSockets);
        }
    }

    private void deliver(ChannelEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.error("the portal channel's listener failed on {}", event.getClass().getSimpleName(), e);
        }
    }

    private void wakeUp() {
        LockSupport.unpark(loop);
    }

    /** Runs under the lock: carries out what the core asked for, none of which blocks. */
    private void performActions() {
        for (DriverAction action; (action = core.pollAction()) != null; ) {
            switch (action) {
                case DriverAction.Resolve resolve -> resolve(resolve.attempt(), resolve.host());
                case DriverAction.Open open -> open(open);
                case DriverAction.Send send -> send(send);
                case DriverAction.Close close -> closeSession(close);
            }
        }
    }

    private void resolve(long attempt, String host) {
        Thread.ofVirtual().name("zw-phx-dns").start(() -> {
            try {
                List<InetAddress> addresses = List.copyOf(resolver.resolve(host));
                input(() -> core.handleResolved(attempt, addresses, System.nanoTime()));
            } catch (UnknownHostException | RuntimeException e) {
                input(() -> core.handleResolveFailed(attempt, e.getClass().getSimpleName(), System.nanoTime()));
            }
        });
    }

    private void open(DriverAction.Open open) {
        latestOpenAttempt = open.attempt();
        attemptAddresses = open.addresses();
        var request = new ClientUpgradeRequest(open.url().expose());
        request.setHeader("User-Agent", open.userAgent());
        // The core's deadline decides; Jetty's, a second later, only reclaims an abandoned attempt.
        long coreDeadlineMillis = config.handshakeTimeout().toMillis() + config.connectTimeoutPerAddress().toMillis() * open.addresses().size();
        request.setTimeout(coreDeadlineMillis + 1000, TimeUnit.MILLISECONDS);
        var response = new UpgradeResponseCapture();
        try {
            webSockets.connect(new SocketListener(open.attempt()), request, response)
                    .whenComplete((session, failure) -> {
                        if (failure != null) {
                            ConnectFailure reason = response.classify(failure, this::sanitize);
                            input(() -> core.handleConnectFailed(open.attempt(), reason, System.nanoTime()));
                        }
                    });
        } catch (Exception e) {
            ConnectFailure reason = new ConnectFailure.HandshakeFailed(sanitize(e.getClass().getSimpleName() + ": " + e.getMessage()));
            Thread.ofVirtual().start(() -> input(() -> core.handleConnectFailed(open.attempt(), reason, System.nanoTime())));
        }
    }

    private void send(DriverAction.Send send) {
        if (session == null || sessionAttempt != send.attempt()) {
            return;
        }
        session.sendText(send.frame(), Callback.from(() -> { }, failure ->
                LOG.debug("a frame to the portal was not sent: {}", failure.getClass().getSimpleName())));
    }

    private void closeSession(DriverAction.Close close) {
        // A socket still opening is closed by onWebSocketOpen once it opens.
        abandonedUpTo = Math.max(abandonedUpTo, close.attempt());
        if (session == null || sessionAttempt != close.attempt()) {
            return;
        }
        if (close.graceful()) {
            session.close(StatusCode.NORMAL, "closing", Callback.NOOP);
        } else {
            session.disconnect();
            session = null;
        }
    }

    private void input(Runnable feed) {
        synchronized (lock) {
            feed.run();
            performActions();
        }
        wakeUp();
    }

    private void resolveToChosenAddresses(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> chosen = attemptAddresses;
        if (chosen.isEmpty()) {
            promise.failed(new UnknownHostException("no address chosen for the portal"));
        } else {
            promise.succeeded(chosen);
        }
    }

    private void stopWebSockets() {
        try {
            webSockets.stop();
        } catch (Exception e) {
            LOG.debug("stopping the WebSocket client failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Error texts from the HTTP stack may quote the request URI, and so the token. */
    private String sanitize(String text) {
        if (text == null) {
            return "";
        }
        String token = tokenText;
        if (token.isEmpty()) {
            return text;
        }
        return text.replace(token, "REDACTED")
                .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), "REDACTED");
    }

    /**
     * Receives one socket's frames and feeds them to the core with the socket's attempt number.
     * Public only because Jetty calls its methods through method handles.
     */
    public final class SocketListener implements Session.Listener.AutoDemanding {
        private final long attempt;

        private SocketListener(long attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            input(() -> {
                if (attempt != latestOpenAttempt || attempt <= abandonedUpTo) {
                    opened.disconnect();
                    return;
                }
                session = opened;
                sessionAttempt = attempt;
                core.handleConnected(attempt, System.nanoTime());
            });
        }

        @Override
        public void onWebSocketText(String frame) {
            input(() -> core.handleFrame(attempt, frame, System.nanoTime()));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            callback.succeed();
            // The reference accepts binary frames holding UTF-8 text; so do we.
            String frame = new String(bytes, StandardCharsets.UTF_8);
            input(() -> core.handleFrame(attempt, frame, System.nanoTime()));
        }

        @Override
        public void onWebSocketClose(int status, String reason, Callback callback) {
            callback.succeed();
            String why = status + (reason == null || reason.isBlank() ? "" : " " + sanitize(reason));
            input(() -> {
                if (sessionAttempt == attempt) {
                    session = null;
                }
                core.handleClosed(attempt, why, System.nanoTime());
            });
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            LOG.debug("portal socket error: {}", cause.getClass().getSimpleName());
        }
    }
}
