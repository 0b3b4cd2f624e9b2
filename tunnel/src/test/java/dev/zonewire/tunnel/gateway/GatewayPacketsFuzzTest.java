package dev.zonewire.tunnel.gateway;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpPacket;
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

/** Any bytes from a client or from the resource network: the gateway drops, forwards or answers, and never throws. */
class GatewayPacketsFuzzTest {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final List<InetAddress> PROXIES = List.of("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4",
            "fd00:2021:1111:8000::", "fd00:2021:1111:8000::1", "fd00:2021:1111:8000::2", "fd00:2021:1111:8000::3")
            .stream().map(IpLiterals::parse).toList();

    @FuzzTest(maxDuration = "20s")
    void hostilePacketsNeverThrow(FuzzedDataProvider data) {
        GatewayAccess access = new GatewayAccess(0);
        IceCredentials ice = new IceCredentials("u", Secret.of("p"));
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.of(new byte[32]), Secret.ofBytes(new byte[32]),
                IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"));
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), "*.example.com", "dns", List.of());
        access.authorizeFlow(new GatewayInbound.AuthorizeFlow("r", null, null, dns, ice, client, ice, null), 0);
        access.authorizeFlow(new GatewayInbound.AuthorizeFlow("r", null, null,
                new GatewayResource.Cidr(UUID.randomUUID(), IpNetwork.parse("10.0.0.0/8"), "lan", List.of()), ice, client, ice, null), 0);
        access.client(CLIENT).setupNat("a.example.com", dns.id(), List.of(IpLiterals.parse("2001:db8::7"), IpLiterals.parse("198.51.100.7")), PROXIES, 0);
        GatewayPackets packets = new GatewayPackets(access);

        boolean fromClient = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + IpPacket.NAT46_HEADROOM);
        buffer.put(IpPacket.NAT46_HEADROOM, bytes);
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        packet.wrap(buffer, IpPacket.NAT46_HEADROOM, bytes.length);
        if (fromClient) {
            packets.outbound(CLIENT, packet, 1, ByteBuffer.allocate(1280), 0);
        } else {
            packets.inbound(packet, 1);
        }
    }
}
