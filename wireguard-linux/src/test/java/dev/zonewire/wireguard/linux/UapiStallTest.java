package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UAPI client that stops in the middle of a set holds every other client's get and set back;
 * once it has paused for longer than the limit it is hung up on, and what it set so far stays.
 */
class UapiStallTest {
    private final Random random = new Random(5);
    private final PublicKey alice = PrivateKey.generate(random).publicKey();
    private final WireGuardTunnel tunnel = new WireGuardTunnel(PrivateKey.generate(random), TunnelSettings.DEFAULTS,
            random, Instant.EPOCH, 0);
    private final DeviceState state = new DeviceState(tunnel, (port, mark) -> port, 51820, 0);
    private final UapiConnection.Device device = new UapiConnection.Device() {
        @Override
        public synchronized <T> T locked(Function<DeviceState, T> action) {
            return action.apply(state);
        }
    };

    @TempDir
    Path directory;

    private UapiServer server;

    @BeforeEach
    void listen() throws IOException {
        server = UapiServer.start(directory, "zw-rvw-stall", device);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientStalledInASetIsHungUpOnAndTheOthersGoOn() throws Exception {
        try (SocketChannel stalled = connect(); SocketChannel other = connect()) {
            send(stalled, "set=1\npublic_key=" + HexFormat.of().formatHex(alice.bytes()) + "\n");
            awaitPeer();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> converse(other, "get=1\n\n"));
            Thread.sleep(200);
            assertThat(answer).as("the get waits for the set").isNotDone();

            server.closeStalledClients(System.nanoTime() + UapiServer.SET_STALL_LIMIT_NANOS + 1);

            assertThat(answer.get(5, TimeUnit.SECONDS)).contains("public_key=").endsWith("errno=0\n\n");
            assertThat(Channels.newInputStream(stalled).read()).as("the stalled client was hung up on").isEqualTo(-1);
        }
    }

    @Test
    void aClientBetweenOperationsIsNotAStall() throws Exception {
        try (SocketChannel idle = connect()) {
            assertThat(converse(idle, "set=1\npublic_key=" + HexFormat.of().formatHex(alice.bytes()) + "\n\n"))
                    .isEqualTo("errno=0\n\n");

            server.closeStalledClients(System.nanoTime() + UapiServer.SET_STALL_LIMIT_NANOS + 1);

            assertThat(converse(idle, "get=1\n\n")).endsWith("errno=0\n\n");
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(UapiServer.socketPath(directory, "zw-rvw-stall")));
    }

    private void awaitPeer() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (device.locked(s -> tunnel.peer(alice)) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void send(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Sends a request and reads its answer up to the blank line after {@code errno=}. */
    private static String converse(SocketChannel channel, String request) {
        try {
            send(channel, request);
            InputStream in = Channels.newInputStream(channel);
            StringBuilder answer = new StringBuilder();
            while (!(answer.indexOf("errno=") >= 0 && answer.toString().endsWith("\n\n"))) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                answer.append((char) b);
            }
            return answer.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
