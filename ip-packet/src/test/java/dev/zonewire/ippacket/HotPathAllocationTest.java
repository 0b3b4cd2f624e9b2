package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Parsing, rewriting and NAT46/64 allocate nothing per packet, interpreted or compiled: the
 * thread's allocation counter does not move over many packets. (The JMH benchmark measures the
 * same with -prof gc.)
 */
class HotPathAllocationTest {

    private static final int PACKETS = 200_000;

    @Test
    void parsingAndRewritingATcpPacketAllocatesNothing() {
        ByteBuffer buffer = TestPackets.buffer();
        int length = PacketBuilder.tcp(buffer, TestPackets.HEADROOM, TestPackets.v4("100.64.0.7"), TestPackets.v4("100.96.0.1"),
                40000, 443, 1, 2, TcpHeader.ACK, 512, ByteBuffer.allocate(1200));
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        Ipv4Address real = TestPackets.v4("192.0.2.80");

        long allocated = allocatedBytesDuring(() -> {
            for (int i = 0; i < PACKETS; i++) {
                packet.wrap(buffer, TestPackets.HEADROOM, length);
                packet.setDestination(real);
                packet.setDestinationPort(i & 0xFFFF);
            }
        });

        assertThat(allocated).isLessThan(1024);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void translatingAnIcmpEchoBackAndForthAllocatesNothing() {
        ByteBuffer buffer = TestPackets.buffer();
        Ipv4Address client = TestPackets.v4("100.64.0.7");
        Ipv4Address proxy = TestPackets.v4("100.96.0.1");
        Ipv6Address clientV6 = TestPackets.v6("fd00:2021:1111::7");
        Ipv6Address resource = TestPackets.v6("2001:db8::80");
        int length = PacketBuilder.icmpEchoRequest(buffer, TestPackets.HEADROOM, client, proxy, 7, 1, ByteBuffer.allocate(56));
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        packet.wrap(buffer, TestPackets.HEADROOM, length);

        long allocated = allocatedBytesDuring(() -> {
            for (int i = 0; i < PACKETS; i++) {
                FamilyTranslator.toIpv6(packet, clientV6, resource);
                FamilyTranslator.toIpv4(packet, client, proxy);
            }
        });

        assertThat(allocated).isLessThan(1024);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    private static long allocatedBytesDuring(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().threadId();
        work.run(); // warm up, so class loading and compilation are not counted
        long before = threads.getThreadAllocatedBytes(threadId);
        work.run();
        return threads.getThreadAllocatedBytes(threadId) - before;
    }
}
