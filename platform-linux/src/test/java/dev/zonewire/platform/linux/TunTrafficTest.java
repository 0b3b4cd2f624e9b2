package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Packets the kernel routes into a TUN device are read, and packets written to it are taken by
 * the kernel: ping, UDP and TCP from inside a fresh namespace whose routes point at the device.
 */
@Timeout(30)
class TunTrafficTest {
    private static final String TUN = "zw-plt-trf0";

    private TestNamespace namespace;
    private TunDevice tun;
    private PacketBatch batch;

    @BeforeEach
    void openConfiguredTun() throws IOException {
        namespace = TestNamespace.create();
        tun = namespace.call(() -> TunDevice.open(TunOptions.named(TUN)));
        try (Rtnetlink netlink = namespace.call(Rtnetlink::open)) {
            netlink.setMtu(tun.index(), 1280);
            // The /24 and /64 make the kernel route the rest of each prefix into the device.
            netlink.addAddress(tun.index(), IpPrefix.parse("10.77.0.1/24"));
            netlink.addAddress(tun.index(), IpPrefix.parse("fd00:77::1/64"));
            netlink.setUp(tun.index(), true);
        }
        namespace.awaitAddressReady("fd00:77::1");
        batch = PacketBatch.allocate(64, 1280);
    }

    @AfterEach
    void cleanUp() throws IOException {
        tun.close();
        batch.close();
        namespace.close();
    }

    @Test
    void theKernelsPingIsReadAndOurReplyCompletesIt() throws Exception {
        Process ping = namespace.start("ping", "-c", "1", "-W", "10", "10.77.0.2");

        int slot = readUntil(p -> TestPackets.protocol(p) == TestPackets.ICMP && TestPackets.icmpType(p) == 8);
        TestPackets.echoRequestToReply(batch.slot(slot), batch.length(slot));
        tun.write(batch.packet(slot));

        assertThat(ping.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ping.exitValue()).as("ping's exit code").isZero();
    }

    @Test
    void theKernelsIpv6PingIsReadAndOurReplyCompletesIt() throws Exception {
        Process ping = namespace.start("ping", "-6", "-c", "1", "-W", "10", "fd00:77::2");

        int slot = readUntil(p -> TestPackets.protocol(p) == TestPackets.ICMPV6 && TestPackets.icmpType(p) == 128);
        TestPackets.echoRequestToReply(batch.slot(slot), batch.length(slot));
        tun.write(batch.packet(slot));

        assertThat(ping.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ping.exitValue()).as("ping's exit code").isZero();
    }

    @Test
    void udpDatagramsComeOutAndTheirEchoesGoBackIn() throws Exception {
        try (DatagramChannel socket = namespace.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("10.77.0.1", 0)))) {
            socket.send(ByteBuffer.wrap("hello tun".getBytes(StandardCharsets.UTF_8)),
                    new InetSocketAddress("10.77.0.2", 7));

            int slot = readUntil(p -> TestPackets.protocol(p) == TestPackets.UDP);
            assertThat(TestPackets.destinationPort(batch.slot(slot))).isEqualTo(7);
            assertThat(new String(TestPackets.udpPayload(batch.slot(slot), batch.length(slot)), StandardCharsets.UTF_8))
                    .isEqualTo("hello tun");
            TestPackets.swapEnds(batch.slot(slot));
            tun.write(batch.packet(slot));

            assertThat(receive(socket)).isEqualTo("hello tun");
        }
    }

    @Test
    void ipv6UdpDatagramsComeOutAndTheirEchoesGoBackIn() throws Exception {
        try (DatagramChannel socket = namespace.call(() -> DatagramChannel.open(StandardProtocolFamily.INET6)
                .bind(new InetSocketAddress("fd00:77::1", 0)))) {
            socket.send(ByteBuffer.wrap("hello tun6".getBytes(StandardCharsets.UTF_8)),
                    new InetSocketAddress("fd00:77::2", 7));

            int slot = readUntil(p -> TestPackets.protocol(p) == TestPackets.UDP);
            TestPackets.swapEnds(batch.slot(slot));
            tun.write(batch.packet(slot));

            assertThat(receive(socket)).isEqualTo("hello tun6");
        }
    }

    @Test
    void aTcpConnectShowsUpAsASyn() throws Exception {
        try (SocketChannel client = namespace.call(SocketChannel::open)) {
            client.configureBlocking(false);
            client.connect(new InetSocketAddress("10.77.0.2", 443));

            int slot = readUntil(p -> TestPackets.protocol(p) == TestPackets.TCP);

            assertThat(TestPackets.destinationPort(batch.slot(slot))).isEqualTo(443);
            assertThat(TestPackets.tcpFlags(batch.slot(slot))).isEqualTo(0x02);
        }
    }

    @Test
    void queuedPacketsAreReadInOneBatchAndWrittenBackInOne() throws Exception {
        try (DatagramChannel socket = namespace.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("10.77.0.1", 0)));
                PacketBatch echoes = PacketBatch.allocate(64, 1280)) {
            for (int i = 0; i < 40; i++) {
                socket.send(ByteBuffer.wrap(("datagram " + i).getBytes(StandardCharsets.UTF_8)),
                        new InetSocketAddress("10.77.0.2", 9));
            }

            int count = tun.read(batch, 5_000);

            // The kernel may have queued IPv6 router solicitations or MLD reports among them.
            for (int i = 0; i < count; i++) {
                if (TestPackets.protocol(batch.slot(i)) == TestPackets.UDP) {
                    TestPackets.swapEnds(batch.slot(i));
                    echoes.add(batch.packet(i));
                }
            }
            assertThat(echoes.size()).isEqualTo(40);
            assertThat(tun.write(echoes)).isEqualTo(40);
            for (int i = 0; i < 40; i++) {
                assertThat(receive(socket)).isEqualTo("datagram " + i);
            }
            assertThat(tun.stats()).isEqualTo(new TunStats(count, 40, 0, 0, 0, 0));
        }
    }

    @Test
    void aByteBufferReadAndWriteCarryOnePacket() throws Exception {
        try (DatagramChannel socket = namespace.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("10.77.0.1", 0)))) {
            socket.send(ByteBuffer.wrap("heap".getBytes(StandardCharsets.UTF_8)), new InetSocketAddress("10.77.0.2", 9));
            ByteBuffer heap = ByteBuffer.allocate(1500);

            int length;
            do {
                heap.clear();
                length = tun.read(heap);
            } while (TestPackets.protocol(MemorySegment.ofBuffer(heap.duplicate().flip())) != TestPackets.UDP);

            assertThat(heap.position()).isEqualTo(length);
            heap.flip();
            TestPackets.swapEnds(MemorySegment.ofBuffer(heap));
            tun.write(heap);
            assertThat(receive(socket)).isEqualTo("heap");
        }
    }

    /** Reads until a packet matches, skipping what the kernel sends on its own (e.g. IPv6 router solicitations). */
    private int readUntil(Predicate<MemorySegment> wanted) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int count = tun.read(batch, 1_000);
            for (int i = 0; i < count; i++) {
                if (wanted.test(batch.slot(i))) {
                    return i;
                }
            }
        }
        return fail("no matching packet came out of the TUN device within 10 s");
    }

    private static String receive(DatagramChannel socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1500);
        socket.receive(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
