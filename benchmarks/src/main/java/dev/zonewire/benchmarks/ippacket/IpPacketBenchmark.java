package dev.zonewire.benchmarks.ippacket;

import dev.zonewire.ippacket.FamilyTranslator;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.ippacket.Ipv6Address;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.ippacket.TcpHeader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway's per-packet NAT work on a 1400-byte TCP packet: parse it, rewrite the destination
 * address and port, fix the checksums. Each operation alternates between two destinations, so
 * every rewrite really changes the packet (a rewrite to the value already there is skipped).
 * Run: see docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpPacketBenchmark {

    private static final int PACKET_LENGTH = 1400;
    private static final int OFFSET = IpPacket.NAT46_HEADROOM;

    /** Direct buffers are what the TUN driver reads into through FFM; heap buffers for comparison. */
    @Param({"direct", "heap"})
    public String buffer;

    private final IpPacket packet = new IpPacket();
    private final Ipv4Address[] ipv4Destinations = {Ipv4Address.parse("192.0.2.80"), Ipv4Address.parse("198.51.100.7")};
    private final Ipv6Address[] ipv6Destinations = {Ipv6Address.parse("2001:db8::80"), Ipv6Address.parse("2001:db8:1::7")};
    private final int[] ports = {443, 8443};
    private final Ipv6Address nat46Source = Ipv6Address.parse("fd00:2021:1111::7");

    private ByteBuffer ipv4Tcp;
    private ByteBuffer ipv6Tcp;
    private ByteBuffer nat46Tcp;
    private ByteBuffer pristineIpv4Headers;
    private int turn;

    @Setup(Level.Trial)
    public void buildPackets() {
        ipv4Tcp = tcpPacket(Ipv4Address.parse("100.64.0.7"), Ipv4Address.parse("100.96.0.1"));
        ipv6Tcp = tcpPacket(Ipv6Address.parse("fd00:2021:1111::7"), Ipv6Address.parse("fd00:2021:1111:8000::1"));
        nat46Tcp = tcpPacket(Ipv4Address.parse("100.64.0.7"), Ipv4Address.parse("100.96.0.1"));
        pristineIpv4Headers = ByteBuffer.allocate(40).put(0, nat46Tcp, OFFSET, 40);
    }

    @Benchmark
    public int ipv4TcpParseRewriteDestination() {
        int i = turn ^= 1;
        packet.wrap(ipv4Tcp, OFFSET, PACKET_LENGTH);
        packet.setDestination(ipv4Destinations[i]);
        packet.setDestinationPort(ports[i]);
        return packet.tcp().checksum();
    }

    @Benchmark
    public int ipv6TcpParseRewriteDestination() {
        int i = turn ^= 1;
        packet.wrap(ipv6Tcp, OFFSET, PACKET_LENGTH);
        packet.setDestination(ipv6Destinations[i]);
        packet.setDestinationPort(ports[i]);
        return packet.tcp().checksum();
    }

    /** NAT46 of the IPv4 packet, after restoring its 40 bytes of IPv4 and TCP headers that the previous translation replaced. */
    @Benchmark
    public int nat46Ipv4TcpToIpv6() {
        int i = turn ^= 1;
        nat46Tcp.put(OFFSET, pristineIpv4Headers, 0, 40);
        packet.wrap(nat46Tcp, OFFSET, PACKET_LENGTH);
        PacketStatus status = FamilyTranslator.toIpv6(packet, nat46Source, ipv6Destinations[i]);
        return status.ordinal() + packet.tcp().checksum();
    }

    private ByteBuffer tcpPacket(IpAddress source, IpAddress destination) {
        ByteBuffer out = "direct".equals(buffer) ? ByteBuffer.allocateDirect(1600) : ByteBuffer.allocate(1600);
        int headers = source.version() == 4 ? 40 : 60;
        ByteBuffer payload = ByteBuffer.allocate(PACKET_LENGTH - headers);
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) i);
        }
        int length = PacketBuilder.tcp(out, OFFSET, source, destination, 40000, 443, 1, 1, TcpHeader.ACK, 512, payload);
        if (length != PACKET_LENGTH || !packet.wrap(out, OFFSET, length).isValid()) {
            throw new IllegalStateException("benchmark packet is not a valid " + PACKET_LENGTH + "-byte packet");
        }
        return out;
    }
}
