package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.ippacket.TcpHeader;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GatewayPacketsTest {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final IpAddress CLIENT_V4 = IpAddress.parse("100.64.0.1");
    private static final IpAddress CLIENT_V6 = IpAddress.parse("fd00:2021:1111::1");
    private static final List<InetAddress> PROXIES = List.of("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4",
            "fd00:2021:1111:8000::", "fd00:2021:1111:8000::1", "fd00:2021:1111:8000::2", "fd00:2021:1111:8000::3")
            .stream().map(IpLiterals::parse).toList();

    private final GatewayAccess access = new GatewayAccess(0);
    private final GatewayPackets packets = new GatewayPackets(access);

    @Test
    void aPacketToAProxyIpLeavesForTheRealIpWithValidChecksumsAndItsReplyComesBack() {
        UUID dns = grantDns("*.example.com", List.of());
        natTo(dns, "app.example.com", "198.51.100.7");
        IpPacket request = tcp(CLIENT_V4, 40000, IpAddress.parse("100.96.0.2"), 443);

        GatewayPackets.Result result = packets.outbound(CLIENT, request, 0, ByteBuffer.allocate(1280), 0);

        assertThat(result.outcome()).isEqualTo(GatewayPackets.Outcome.FORWARD);
        assertThat(request.destination()).isEqualTo(IpAddress.parse("198.51.100.7"));
        assertThat(request.source()).isEqualTo(CLIENT_V4);
        assertThat(request.verifyChecksums()).isEqualTo(PacketStatus.VALID);

        IpPacket reply = tcp(IpAddress.parse("198.51.100.7"), 443, CLIENT_V4, request.tcp().sourcePort());
        assertThat(packets.inbound(reply, 0)).isEqualTo(CLIENT);
        assertThat(reply.source()).isEqualTo(IpAddress.parse("100.96.0.2"));
        assertThat(reply.tcp().destinationPort()).isEqualTo(40000);
        assertThat(reply.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anIpv4ProxyForAnIpv6OnlyNameIsTranslatedToIpv6AndBack() {
        UUID dns = grantDns("*.example.com", List.of());
        natTo(dns, "v6.example.com", "2001:db8::7");
        IpPacket request = tcp(CLIENT_V4, 40000, IpAddress.parse("100.96.0.1"), 443);

        packets.outbound(CLIENT, request, 0, ByteBuffer.allocate(1280), 0);

        assertThat(request.isIpv6()).isTrue();
        assertThat(request.source()).isEqualTo(CLIENT_V6);
        assertThat(request.destination()).isEqualTo(IpAddress.parse("2001:db8::7"));
        assertThat(request.verifyChecksums()).isEqualTo(PacketStatus.VALID);

        IpPacket reply = tcp(IpAddress.parse("2001:db8::7"), 443, CLIENT_V6, 40000);
        assertThat(packets.inbound(reply, 0)).isEqualTo(CLIENT);
        assertThat(reply.isIpv4()).isTrue();
        assertThat(reply.source()).isEqualTo(IpAddress.parse("100.96.0.1"));
        assertThat(reply.destination()).isEqualTo(CLIENT_V4);
        assertThat(reply.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anEchoRequestKeepsItsIdentifierThroughTheNat() {
        UUID dns = grantDns("*.example.com", List.of(new Filter.Icmp()));
        natTo(dns, "app.example.com", "198.51.100.7");
        ByteBuffer buffer = ByteBuffer.allocate(1336);
        IpPacket echo = wrap(buffer, PacketBuilder.icmpEchoRequest(buffer, 20, CLIENT_V4, IpAddress.parse("100.96.0.3"), 77, 1, ByteBuffer.allocate(16)));

        packets.outbound(CLIENT, echo, 0, ByteBuffer.allocate(1280), 0);

        assertThat(echo.destination()).isEqualTo(IpAddress.parse("198.51.100.7"));
        assertThat(echo.icmp().identifier()).isEqualTo(77);
        assertThat(echo.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void aDeniedIpv4PacketIsAnsweredAdministrativelyProhibited() {
        grantCidr("172.20.0.0/16", List.of(new Filter.Tcp(443, 443)));
        IpPacket denied = tcp(CLIENT_V4, 40000, IpAddress.parse("172.20.0.9"), 22);
        ByteBuffer out = ByteBuffer.allocate(1280);

        GatewayPackets.Result result = packets.outbound(CLIENT, denied, 0, out, 0);

        assertThat(result.outcome()).isEqualTo(GatewayPackets.Outcome.ANSWER);
        IpPacket answer = wrap(out, 0, result.answerLength());
        assertThat(answer.source()).isEqualTo(IpAddress.parse("172.20.0.9"));
        assertThat(answer.destination()).isEqualTo(CLIENT_V4);
        assertThat(answer.icmp().type()).isEqualTo(3);
        assertThat(answer.icmp().code()).isEqualTo(13);
        assertThat(answer.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void aDeniedIpv6PacketIsAnsweredAdministrativelyProhibited() {
        grantCidr("2001:db8:1::/64", List.of(new Filter.Udp(53, 53)));
        IpPacket denied = tcp(CLIENT_V6, 40000, IpAddress.parse("2001:db8:1::9"), 22);
        ByteBuffer out = ByteBuffer.allocate(1280);

        GatewayPackets.Result result = packets.outbound(CLIENT, denied, 0, out, 0);

        IpPacket answer = wrap(out, 0, result.answerLength());
        assertThat(answer.icmp().type()).isEqualTo(1);
        assertThat(answer.icmp().code()).isEqualTo(1);
        assertThat(answer.destination()).isEqualTo(CLIENT_V6);
        assertThat(answer.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void aSpoofedSourceIsDroppedWithoutAnswer() {
        grantCidr("172.20.0.0/16", List.of());
        IpPacket spoofed = tcp(IpAddress.parse("100.64.0.99"), 40000, IpAddress.parse("172.20.0.9"), 22);

        assertThat(packets.outbound(CLIENT, spoofed, 0, ByteBuffer.allocate(1280), 0).outcome()).isEqualTo(GatewayPackets.Outcome.DROP);
        assertThat(access.dropped(DropReason.SOURCE_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void aPacketToAnUnknownProxyIpIsDeniedAndAnswered() {
        grantDns("*.example.com", List.of());
        IpPacket unknownProxy = tcp(CLIENT_V4, 40000, IpAddress.parse("100.96.9.9"), 443);

        GatewayPackets.Result result = packets.outbound(CLIENT, unknownProxy, 0, ByteBuffer.allocate(1280), 0);

        assertThat(result.outcome()).isEqualTo(GatewayPackets.Outcome.ANSWER);
        assertThat(access.dropped(DropReason.DESTINATION_NOT_ALLOWED)).isEqualTo(1);
    }

    private UUID grantDns(String pattern, List<Filter> filters) {
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), pattern, "dns", filters);
        access.authorizeFlow(flow(dns), 0);
        return dns.id();
    }

    private void grantCidr(String network, List<Filter> filters) {
        access.authorizeFlow(flow(new GatewayResource.Cidr(UUID.randomUUID(), IpNetwork.parse(network), network, filters)), 0);
    }

    private void natTo(UUID resource, String name, String realIp) {
        access.client(CLIENT).setupNat(name, resource, List.of(IpLiterals.parse(realIp)), PROXIES, 0);
    }

    private static GatewayInbound.AuthorizeFlow flow(GatewayResource resource) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.of(new byte[32]), Secret.ofBytes(new byte[32]),
                IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"));
        IceCredentials ice = new IceCredentials("user", Secret.of("password"));
        return new GatewayInbound.AuthorizeFlow("ref", null, null, resource, ice, client, ice, null);
    }

    private static IpPacket tcp(IpAddress source, int sourcePort, IpAddress destination, int destinationPort) {
        ByteBuffer buffer = ByteBuffer.allocate(1336);
        int length = PacketBuilder.tcp(buffer, 20, source, destination, sourcePort, destinationPort, 1, 0, TcpHeader.SYN, 65535,
                ByteBuffer.allocate(0));
        return wrap(buffer, 20, length);
    }

    private static IpPacket wrap(ByteBuffer buffer, int offset, int length) {
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        assertThat(packet.wrap(buffer, offset, length)).isEqualTo(PacketStatus.VALID);
        return packet;
    }

    private static IpPacket wrap(ByteBuffer buffer, int length) {
        return wrap(buffer, 20, length);
    }
}
