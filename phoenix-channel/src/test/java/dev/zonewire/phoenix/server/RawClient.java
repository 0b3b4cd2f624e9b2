package dev.zonewire.phoenix.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A bare WebSocket client that sends whatever a test writes and records every frame and the close. */
public final class RawClient implements Session.Listener.AutoDemanding, AutoCloseable {
    private final WebSocketClient client = new WebSocketClient();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile Session session;
    private volatile int closeStatus = -1;

    private RawClient() {}

    static RawClient connect(int port, String pathAndQuery) throws Exception {
        var raw = new RawClient();
        raw.client.setMaxTextMessageSize(16 << 20);
        raw.client.start();
        raw.session = raw.client.connect(raw, URI.create("ws://127.0.0.1:" + port + pathAndQuery)).get(5, TimeUnit.SECONDS);
        return raw;
    }

    void send(String frame) {
        session.sendText(frame, Callback.NOOP);
    }

    void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    List<String> received() {
        return received;
    }

    synchronized String await(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String frame : received) {
                if (matching.test(frame)) {
                    return frame;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + timeout + "; received " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    String await(String containing) throws InterruptedException {
        return await(f -> f.contains(containing), Duration.ofSeconds(5));
    }

    synchronized int awaitClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closeStatus < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the server did not close the socket within " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return closeStatus;
    }

    boolean isOpen() {
        return session != null && session.isOpen();
    }

    @Override
    public synchronized void onWebSocketText(String frame) {
        received.add(frame);
        notifyAll();
    }

    @Override
    public synchronized void onWebSocketClose(int status, String reason, Callback callback) {
        callback.succeed();
        closeStatus = status;
        notifyAll();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
