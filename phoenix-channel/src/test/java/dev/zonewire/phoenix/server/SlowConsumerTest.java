package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** A client that stops reading is disconnected once its outgoing queue is full, never buffered without bound. */
class SlowConsumerTest {

    private static final TextNode BIG = TextNode.valueOf("x".repeat(64 * 1024));

    @Test
    void aClientThatNeverReadsIsDisconnectedAndOthersKeepTheirService() throws Exception {
        try (var server = new TestServer(builder -> builder.maxQueuedFrames(16));
             var reader = server.connect(null);
             var stalled = new Socket()) {
            joinBoth(server, reader, stalled);

            broadcastUntilASlowConsumerIsDropped(server, 3000);

            assertThat(server.server.stats().slowConsumers()).isEqualTo(1);
            reader.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"still-here\"}");
            assertThat(reader.await(f -> f.contains("still-here"), java.time.Duration.ofSeconds(30))).contains("ok");
            assertThat(server.server.broadcast("room:slow", "after", BIG)).isEqualTo(1);
        }
    }

    @Test
    void theOutgoingQueueIsBoundedInBytesNotOnlyInFrames() throws Exception {
        try (var server = new TestServer(builder -> builder.maxQueuedFrames(1_000_000).maxQueuedBytes(1 << 20));
             var reader = server.connect(null);
             var stalled = new Socket()) {
            joinBoth(server, reader, stalled);

            // The kernel's socket buffers take a few MiB first; then 1 MiB of 64 KiB frames is the limit.
            int rounds = broadcastUntilASlowConsumerIsDropped(server, 400);

            assertThat(server.server.stats().slowConsumers()).isEqualTo(1);
            assertThat(rounds).isLessThan(400);
        }
    }

    private static void joinBoth(TestServer server, RawClient reader, Socket stalled) throws Exception {
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        upgrade(stalled, server.port());
        sendMaskedText(stalled.getOutputStream(), "{\"topic\":\"room:slow\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
        reader.send("{\"topic\":\"room:slow\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
        reader.await("phx_reply");
        awaitJoined(server, 2);
    }

    private static int broadcastUntilASlowConsumerIsDropped(TestServer server, int maxRounds) {
        int rounds = 0;
        while (server.server.stats().slowConsumers() == 0 && rounds < maxRounds) {
            server.server.broadcast("room:slow", "bulk", BIG);
            rounds++;
        }
        return rounds;
    }

    private static void awaitJoined(TestServer server, int channels) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.server.broadcast("room:slow", "probe", null) < channels && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    static void upgrade(Socket socket, int port) throws Exception {
        String request = "GET /socket/websocket?token=t HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head).startsWith("HTTP/1.1 101");
    }

    /** One masked text frame, as RFC 6455 requires from clients (payloads under 126 bytes only). */
    static void sendMaskedText(OutputStream out, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }
}
