package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.ippacket.Ipv6Address;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.ippacket.TcpHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 2's "real packets": what the Linux kernel itself sends into a TUN device while ping, curl
 * and a UDP sender run against it parses with the ip-packet library and every checksum verifies;
 * an echo request built with ip-packet and written to the device gets the kernel's reply. With
 * offload, the packets are the ones this module cut out of the kernel's super-packets, or whose
 * checksum it finished.
 */
@Timeout(60)
class KernelPacketsTest {
    private static final String TUN = "zw-plt-kpk0";
    private static final IpAddress LOCAL_V4 = Ipv4Address.parse("10.77.0.1");
    private static final IpAddress REMOTE_V4 = Ipv4Address.parse("10.77.0.2");
    private static final IpAddress LOCAL_V6 = Ipv6Address.parse("fd00:77::1");
    private static final IpAddress REMOTE_V6 = Ipv6Address.parse("fd00:77::2");

    private enum Kind { PING4, PING6, TCP4_SYN, TCP6_SYN, UDP4, UDP6 }

    private TestNamespace namespace;
    private TunDevice tun;
    private final IpPacket packet = new IpPacket();

    @AfterEach
    void cleanUp() throws IOException {
        if (tun != null) {
            tun.close();
        }
        namespace.close();
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void packetsFromPingCurlAndAUdpSenderParseAndTheirChecksumsVerify(boolean offload) throws IOException {
        openTun(offload);
        namespace.start("ping", "-c", "5", "-i", "0.2", "10.77.0.2");
        namespace.start("ping", "-6", "-c", "5", "-i", "0.2", "fd00:77::2");
        namespace.start("curl", "-s", "--max-time", "5", "http://10.77.0.2:8080/");
        namespace.start("curl", "-s", "-g", "--max-time", "5", "http://[fd00:77::2]:8080/");
        namespace.start("bash", "-c", "for i in 1 2 3; do echo hello zonewire > /dev/udp/10.77.0.2/5353; sleep 0.2; done");
        namespace.start("bash", "-c", "for i in 1 2 3; do echo hello zonewire > /dev/udp/fd00:77::2/5353; sleep 0.2; done");

        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        int parsed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (PacketBatch batch = PacketBatch.allocate(64, 1500)) {
            while (seen.size() < Kind.values().length && System.nanoTime() < deadline) {
                int count = tun.read(batch, 500);
                for (int i = 0; i < count; i++) {
                    assertThat(packet.wrap(batch.buffer(i), 0, batch.length(i))).as(packet::toString)
                            .isEqualTo(PacketStatus.VALID);
                    assertThat(packet.verifyChecksums()).as(packet::toString).isEqualTo(PacketStatus.VALID);
                    kindOf(packet, seen);
                    parsed++;
                }
            }
        }

        assertThat(seen).as("kinds of packet seen among %d", parsed).containsExactlyInAnyOrder(Kind.values());
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void anEchoRequestWeBuildGetsTheKernelsReply(boolean offload) throws IOException {
        openTun(offload);

        assertEchoReplied(REMOTE_V4, LOCAL_V4, 0x5a01);
        assertEchoReplied(REMOTE_V6, LOCAL_V6, 0x5a02);
    }

    private void openTun(boolean offload) throws IOException {
        namespace = TestNamespace.create();
        tun = namespace.call(() -> TunDevice.open(TunOptions.named(TUN).withOffload(offload)));
        try (Rtnetlink netlink = namespace.call(Rtnetlink::open)) {
            netlink.setMtu(tun.index(), 1500);
            netlink.addAddress(tun.index(), IpPrefix.parse("10.77.0.1/24"));
            netlink.addAddress(tun.index(), IpPrefix.parse("fd00:77::1/64"));
            netlink.setUp(tun.index(), true);
        }
        namespace.awaitAddressReady("fd00:77::1");
    }

    private static void kindOf(IpPacket packet, Set<Kind> seen) {
        boolean v4 = packet.isIpv4();
        if (packet.isIcmpv4() && packet.icmpv4().isEchoRequest() && packet.destinationEquals(REMOTE_V4)) {
            seen.add(Kind.PING4);
        } else if (packet.isIcmpv6() && packet.icmpv6().isEchoRequest() && packet.destinationEquals(REMOTE_V6)) {
            seen.add(Kind.PING6);
        } else if (packet.isTcp() && packet.tcp().hasFlags(TcpHeader.SYN) && packet.destinationPort() == 8080) {
            seen.add(v4 ? Kind.TCP4_SYN : Kind.TCP6_SYN);
        } else if (packet.isUdp() && packet.destinationPort() == 5353 && "hello zonewire\n".equals(udpText(packet))) {
            seen.add(v4 ? Kind.UDP4 : Kind.UDP6);
        }
    }

    private static String udpText(IpPacket packet) {
        byte[] text = new byte[packet.udp().payloadLength()];
        packet.buffer().get(packet.udp().payloadIndex(), text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private void assertEchoReplied(IpAddress from, IpAddress to, int identifier) throws IOException {
        ByteBuffer payload = ByteBuffer.wrap("are you there, kernel?".getBytes(StandardCharsets.UTF_8));
        ByteBuffer request = ByteBuffer.allocateDirect(1500);
        int length = PacketBuilder.icmpEchoRequest(request, 0, from, to, identifier, 7, payload);
        tun.write(request.limit(length));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (PacketBatch batch = PacketBatch.allocate(16, 1500)) {
            while (System.nanoTime() < deadline) {
                int count = tun.read(batch, 500);
                for (int i = 0; i < count; i++) {
                    if (packet.wrap(batch.buffer(i), 0, batch.length(i)).isValid() && isReplyTo(packet, identifier)) {
                        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
                        assertThat(packet.source()).isEqualTo(to);
                        assertThat(packet.destination()).isEqualTo(from);
                        assertThat(packet.icmp().sequence()).isEqualTo(7);
                        ByteBuffer body = packet.buffer().slice(packet.icmp().bodyIndex(), packet.icmp().bodyLength());
                        assertThat(body).isEqualTo(payload.rewind());
                        return;
                    }
                }
            }
        }
        fail("the kernel did not answer the echo request from " + from + " within 10 s");
    }

    private static boolean isReplyTo(IpPacket packet, int identifier) {
        return (packet.isIcmpv4() || packet.isIcmpv6()) && packet.icmp().isEchoReply()
                && packet.icmp().identifier() == identifier;
    }
}
