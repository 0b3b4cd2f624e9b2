package dev.zonewire.relay.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zonewire.phoenix.client.PortalChannel;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayStats;
import dev.zonewire.relay.driver.RelayEventLoop;
import dev.zonewire.relay.driver.UdpSockets;
import dev.zonewire.relay.portal.PortalLink;
import dev.zonewire.stun.StampSecret;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A running relay: the sans-IO server, its UDP event loop on one thread, the HTTP endpoints for
 * /healthz and /metrics, and, unless it runs standalone, the portal link. {@link #requestStop()}
 * once leaves the portal and drains (no new allocations, existing ones keep relaying until they
 * end), twice stops at once. A fatal portal error stops the relay at once; {@link #failure()}
 * then says why.
 */
public final class RelayDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayDaemon.class);

    private final StampSecret stampSecret;
    private final UdpSockets sockets;
    private final RelayEventLoop loop;
    private final Thread thread;
    private final int listenPort;
    private final RelayHealth health;
    private final List<HttpServer> httpServers = new ArrayList<>();
    private volatile PortalChannel portal;
    private int stopRequests;
    private volatile String failure;

    private RelayDaemon(StampSecret stampSecret, UdpSockets sockets, RelayEventLoop loop, int listenPort) {
        this.stampSecret = stampSecret;
        this.sockets = sockets;
        this.loop = loop;
        this.listenPort = listenPort;
        this.health = new RelayHealth(loop::lastTickNanos);
        this.thread = Thread.ofPlatform().name("zw-relay-loop").unstarted(this::runLoop);
    }

    public static RelayDaemon start(RelayConfig config) throws IOException {
        RandomGenerator random = config.rngSeed() == null ? new SecureRandom() : new Random(config.rngSeed());
        StampSecret secret = StampSecretStore.resolve(config.stampSecret(), config.stateDir(), random);
        RelayServer server = new RelayServer(config.serverConfig(), secret, random);
        UdpSockets sockets = new UdpSockets();
        RelayDaemon daemon;
        try {
            daemon = listen(config, server, sockets, secret);
        } catch (IOException | RuntimeException e) {
            sockets.close();
            throw e;
        }
        try {
            daemon.serveHttp(config);
            daemon.thread.start();
            log.info("Relay listening on port {} (IPv4 {}, IPv6 {}), allocations on {}-{}", daemon.listenPort,
                    describe(config.publicIp4()), describe(config.publicIp6()), config.lowestPort(), config.highestPort());
            daemon.connectPortal(config);
            return daemon;
        } catch (IOException | RuntimeException | Error e) {
            daemon.close();
            throw e;
        }
    }

    private static String describe(InetAddress address) {
        return address == null ? "off" : address.getHostAddress();
    }

    /** The secret credentials are derived from; the portal link sends it in its join. */
    public StampSecret stampSecret() {
        return stampSecret;
    }

    /** The STUN/TURN port actually bound (useful when the config asked for 0). */
    public int listenPort() {
        return listenPort;
    }

    public RelayHealth health() {
        return health;
    }

    public RelayStats stats() {
        return loop.stats();
    }

    /** Where the first HTTP endpoint listens, or null if there is none. */
    public InetSocketAddress httpAddress() {
        return httpServers.isEmpty() ? null : httpServers.getFirst().getAddress();
    }

    /** First call: leave the portal and drain. Second call: stop now. */
    public synchronized void requestStop() {
        stopRequests++;
        if (stopRequests == 1) {
            if (portal != null) {
                // Closing waits for the portal's close handshake; the caller (a signal handler) should not.
                PortalChannel leaving = portal;
                Thread.ofVirtual().name("zw-relay-portal-close").start(leaving::close);
            }
            loop.requestDrain();
        } else {
            loop.requestStop();
        }
    }

    /** Why the relay stopped on its own (the portal link or the event loop failed), if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits until the relay has drained, been stopped or failed. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops at once and releases the portal link, sockets and HTTP servers. */
    @Override
    public void close() {
        synchronized (this) {
            stopRequests = 2;
        }
        loop.requestStop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (portal != null) {
            portal.close();
        }
        httpServers.forEach(server -> server.stop(0));
        sockets.close();
    }

    private void runLoop() {
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            // Recorded, so that the command exits with 1 and a supervisor restarts the relay.
            failure = "the relay's event loop failed: " + e;
            log.error("Relay event loop failed", e);
        } finally {
            httpServers.forEach(server -> server.stop(0));
        }
    }

    private void connectPortal(RelayConfig config) {
        if (config.portal() == null) {
            log.warn("No portal token: running standalone, credentials come from the stamp secret alone");
            return;
        }
        PortalLink link = new PortalLink(health::heartbeatSent, InstantSource.system(), this::fail);
        portal = PortalChannel.start(PortalLink.channelConfig(config.portal(), stampSecret),
                PortalLink.loginUrl(config.portal(), config.publicIp4(), config.publicIp6(), listenPort), link);
    }

    /** The portal link failed for good: the relay stops, as the reference's process exits. */
    private void fail(String reason) {
        synchronized (this) {
            if (stopRequests > 0) {
                return; // leaving the portal was asked for
            }
            stopRequests = 2;
        }
        failure = reason;
        log.error(reason);
        loop.requestStop();
    }

    private static RelayDaemon listen(RelayConfig config, RelayServer server, UdpSockets sockets, StampSecret secret)
            throws IOException {
        InetAddress bind4 = config.effectiveBindIp4();
        InetAddress bind6 = config.effectiveBindIp6();
        int listen4 = -1;
        int listen6 = -1;
        int port = config.listenPort();
        if (bind4 != null) {
            listen4 = sockets.open(new InetSocketAddress(bind4, port));
            port = sockets.localAddress(listen4).getPort();
        }
        if (bind6 != null) {
            listen6 = sockets.open(new InetSocketAddress(bind6, port));
            port = sockets.localAddress(listen6).getPort();
        }
        RelayEventLoop loop = new RelayEventLoop(server, sockets, bind4, bind6, listen4, listen6);
        return new RelayDaemon(secret, sockets, loop, port);
    }

    private void serveHttp(RelayConfig config) throws IOException {
        if (config.healthAddress() == null) {
            return;
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        RelayMetrics.register(registry, loop::stats);
        HttpServer healthServer = httpServer(config.healthAddress(), "/healthz");
        healthServer.createContext("/healthz", this::answerHealth);
        httpServers.add(healthServer);
        HttpServer metricsServer = healthServer;
        if (config.metricsAddress() != null && !config.metricsAddress().equals(config.healthAddress())) {
            metricsServer = httpServer(config.metricsAddress(), "/metrics");
            httpServers.add(metricsServer);
        }
        metricsServer.createContext("/metrics", new MetricsHandler(registry));
        httpServers.forEach(server -> {
            // One virtual thread per exchange: with the JDK's default, one client that never
            // finishes its request blocks every other one, the orchestrator's health check included.
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        });
    }

    /** An HTTP server on {@code address}; a failure names the address, which the JDK's message does not. */
    private static HttpServer httpServer(InetSocketAddress address, String path) throws IOException {
        limitHttpConnections();
        try {
            return HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot serve " + path + " on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's HTTP server reads these once, when first used; without them a client may hold any
     * number of connections open for ever, each a file descriptor the relay's sockets need.
     */
    private static void limitHttpConnections() {
        setIfAbsent("sun.net.httpserver.maxConnections", "64");
        setIfAbsent("sun.net.httpserver.maxReqTime", "10");
        setIfAbsent("sun.net.httpserver.maxRspTime", "10");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private void answerHealth(HttpExchange exchange) throws IOException {
        boolean healthy = health.isHealthy(System.nanoTime(), Instant.now());
        byte[] body = (healthy ? "ok\n" : "unhealthy\n").getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(healthy ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
