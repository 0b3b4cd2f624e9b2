package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.dns.tcp.TcpDnsClient;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class SentinelPacketsTest {
    private static final IpAddress APP_V4 = IpAddress.parse("100.64.0.1");
    private static final IpAddress APP_V6 = IpAddress.parse("fd00:2021:1111::1");
    private static final IpAddress SENTINEL_V4 = IpAddress.parse("100.100.111.1");
    private static final IpAddress SENTINEL_V6 = IpAddress.parse("fd00:2021:1111:8000:100:100:111:0");

    private final ClientDns dns = newDns();
    private final SentinelPackets packets = new SentinelPackets(dns, new SplittableRandom(4));

    private static ClientDns newDns() {
        StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());
        resolver.addResource(UUID.randomUUID(), "*.mycorp.com");
        ClientDns dns = new ClientDns(resolver, new SplittableRandom(3), address -> false);
        dns.updateUpstreams(List.of(new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53),
                new InetSocketAddress(IpLiterals.parse("2606:4700:4700::1111"), 53)), List.of());
        return dns;
    }

    @Test
    void aUdpQueryToTheIpv4SentinelIsAnsweredWithAnIpPacketFromThatSentinel() throws Exception {
        IpPacket query = udp(APP_V4, 40000, SENTINEL_V4, 53, DnsTestMessages.query("wiki.mycorp.com", Type.A, 11).toWire());

        assertThat(packets.handle(query, 0)).isTrue();
        IpPacket answer = answer();

        assertThat(answer.source()).isEqualTo(SENTINEL_V4);
        assertThat(answer.destination()).isEqualTo(APP_V4);
        assertThat(answer.udp().sourcePort()).isEqualTo(53);
        assertThat(answer.udp().destinationPort()).isEqualTo(40000);
        assertThat(answer.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        Message response = new Message(payload(answer));
        assertThat(response.getHeader().getID()).isEqualTo(11);
        assertThat(response.getSection(Section.ANSWER)).hasSize(4);
    }

    @Test
    void aUdpQueryToTheIpv6SentinelIsAnsweredOverIpv6() throws Exception {
        IpPacket query = udp(APP_V6, 5353, SENTINEL_V6, 53, DnsTestMessages.query("wiki.mycorp.com", Type.AAAA, 12).toWire());

        packets.handle(query, 0);
        IpPacket answer = answer();

        assertThat(answer.isIpv6()).isTrue();
        assertThat(answer.source()).isEqualTo(SENTINEL_V6);
        assertThat(answer.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(new Message(payload(answer)).getSection(Section.ANSWER)).hasSize(4);
    }

    @Test
    void packetsToOtherAddressesAreNotTaken() {
        IpPacket query = udp(APP_V4, 40000, IpAddress.parse("100.100.111.77"), 53, DnsTestMessages.query("a.b", Type.A, 1).toWire());

        assertThat(packets.handle(query, 0)).isFalse();
    }

    @Test
    void anIcmpEchoToASentinelIsTakenAndDropped() {
        ByteBuffer buffer = ByteBuffer.allocate(1336);
        int length = PacketBuilder.icmpEchoRequest(buffer, 20, APP_V4, SENTINEL_V4, 1, 1, ByteBuffer.allocate(8));
        IpPacket echo = new IpPacket(IpPacket.TUNNEL_MTU);
        echo.wrap(buffer, 20, length);

        assertThat(packets.handle(echo, 0)).isTrue();
        assertThat(packets.unsupported()).isEqualTo(1);
        assertThat(packets.pollPacket(0)).isNull();
    }

    @Test
    void garbageInAUdpPacketToASentinelIsDroppedAndCounted() {
        IpPacket query = udp(APP_V4, 40000, SENTINEL_V4, 53, new byte[] {1, 2, 3, 4, 5});

        packets.handle(query, 0);

        assertThat(dns.count(DnsCounter.UNPARSABLE_QUERIES)).isEqualTo(1);
        assertThat(packets.pollPacket(0)).isNull();
    }

    @Test
    void aQueryOverTcpToASentinelIsAnsweredOnTheSameConnection() throws Exception {
        packets.sentinelsChanged(0);
        TcpDnsClient app = new TcpDnsClient(new SplittableRandom(5), 10);
        app.query(APP_V4, new InetSocketAddress(SENTINEL_V4.toInetAddress(), 53), 21,
                DnsTestMessages.query("wiki.mycorp.com", Type.A, 21).toWire(), 0);

        for (int round = 0; round < 10; round++) {
            for (byte[] segment = app.pollPacket(); segment != null; segment = app.pollPacket()) {
                assertThat(packets.handle(TestPackets.of(segment), 0)).isTrue();
            }
            for (byte[] segment = packets.pollPacket(0); segment != null; segment = packets.pollPacket(0)) {
                IpPacket packet = TestPackets.of(segment);
                if (app.accepts(packet)) {
                    app.handle(packet, 0);
                }
            }
        }

        TcpDnsClient.Result result = app.pollResult();
        assertThat(result.failed()).isFalse();
        Message response = new Message(result.response());
        assertThat(response.getHeader().getID()).isEqualTo(21);
        assertThat(response.getSection(Section.ANSWER)).hasSize(4);
    }

    private IpPacket answer() {
        byte[] bytes = packets.pollPacket(0);
        IpPacket answer = new IpPacket(IpPacket.TUNNEL_MTU);
        assertThat(answer.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(PacketStatus.VALID);
        return answer;
    }

    private static byte[] payload(IpPacket packet) {
        byte[] bytes = new byte[packet.udp().payloadLength()];
        packet.buffer().get(packet.udp().payloadIndex(), bytes);
        return bytes;
    }

    private static IpPacket udp(IpAddress source, int sourcePort, IpAddress destination, int destinationPort, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(1336);
        int length = PacketBuilder.udp(buffer, 20, source, destination, sourcePort, destinationPort, ByteBuffer.wrap(payload));
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        packet.wrap(buffer, 20, length);
        return packet;
    }
}
