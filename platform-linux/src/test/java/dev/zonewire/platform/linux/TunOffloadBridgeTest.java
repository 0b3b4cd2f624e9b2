package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TCP transfer between two namespaces whose only link is this module: packets read from one
 * TUN device are written to the other, in both directions. With offload, the kernel's TCP hands
 * over super-packets that are cut into MTU-sized segments (as a tunnel must, to encrypt them) and
 * merged again on the far side; the kernel's TCP on both ends checks every checksum, and the
 * bytes must arrive intact.
 */
@Timeout(60)
class TunOffloadBridgeTest {
    private static final int MTU = 1420;
    private static final int TRANSFER_BYTES = 32 << 20;

    private TestNamespace left;
    private TestNamespace right;
    private TunDevice leftTun;
    private TunDevice rightTun;

    @AfterEach
    void cleanUp() throws IOException {
        if (leftTun != null) {
            leftTun.close();
        }
        if (rightTun != null) {
            rightTun.close();
        }
        if (left != null) {
            left.close();
        }
        if (right != null) {
            right.close();
        }
    }

    @ParameterizedTest(name = "offload {0}, {1}")
    @CsvSource({"true, 10.81.0.1, 10.81.0.2", "true, fd00:81::1, fd00:81::2", "false, 10.81.0.1, 10.81.0.2"})
    void aTcpTransferThroughTwoBridgedTunDevicesArrivesIntact(boolean offload, String leftAddress,
            String rightAddress) throws Exception {
        left = TestNamespace.create();
        right = TestNamespace.create();
        leftTun = openTun(left, "zw-plt-brl0", offload, leftAddress, rightAddress);
        rightTun = openTun(right, "zw-plt-brr0", offload, rightAddress, leftAddress);
        CompletableFuture<Void> leftToRight = forward(leftTun, rightTun);
        CompletableFuture<Void> rightToLeft = forward(rightTun, leftTun);

        try (ServerSocketChannel server = right.call(() -> ServerSocketChannel.open()
                .bind(new InetSocketAddress(rightAddress, 5201)))) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> receiveAndHash(server));
            String sent;
            try (SocketChannel client = left.call(SocketChannel::open)) {
                client.connect(new InetSocketAddress(rightAddress, 5201));
                sent = sendAndHash(client);
            }

            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
        }
        leftTun.close();
        rightTun.close();
        leftToRight.get(5, TimeUnit.SECONDS);
        rightToLeft.get(5, TimeUnit.SECONDS);
        TunStats sender = leftTun.stats();
        TunStats receiver = rightTun.stats();
        assertThat(sender.readsDropped()).isZero();
        assertThat(receiver.writesRejected()).isZero();
        if (offload) {
            assertThat(sender.superPacketsRead()).as("super-packets from the sending kernel").isPositive();
            assertThat(receiver.superPacketsWritten()).as("super-packets to the receiving kernel").isPositive();
        }
    }

    private static TunDevice openTun(TestNamespace namespace, String name, boolean offload, String local,
            String remote) throws IOException {
        TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named(name).withOffload(offload)));
        try (Rtnetlink netlink = namespace.call(Rtnetlink::open)) {
            netlink.setMtu(tun.index(), MTU);
            netlink.addAddress(tun.index(), IpPrefix.parse(local));
            netlink.setUp(tun.index(), true);
            netlink.addRoute(Route.toInterface(IpPrefix.parse(remote), tun.index()));
        }
        if (local.contains(":")) {
            namespace.awaitAddressReady(local);
        }
        return tun;
    }

    /** Copies batches from one device to the other until either is closed. */
    private static CompletableFuture<Void> forward(TunDevice from, TunDevice to) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("forward-" + from.name()).start(() -> {
            try (PacketBatch batch = PacketBatch.allocate(64, MTU)) {
                while (true) {
                    from.read(batch);
                    to.write(batch);
                }
            } catch (ClosedChannelException e) {
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static String sendAndHash(SocketChannel client) throws IOException {
        MessageDigest digest = sha256();
        Random random = new Random(81);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (int sent = 0; sent < TRANSFER_BYTES; sent += chunk.capacity()) {
            random.nextBytes(chunk.array());
            digest.update(chunk.array());
            chunk.clear();
            while (chunk.hasRemaining()) {
                client.write(chunk);
            }
        }
        client.shutdownOutput();
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String receiveAndHash(ServerSocketChannel server) {
        try (SocketChannel connection = server.accept()) {
            MessageDigest digest = sha256();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (connection.read(buffer) >= 0) {
                digest.update(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
