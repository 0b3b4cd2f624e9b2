package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IcmpErrors;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.dns.tcp.TcpDnsClient;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import dev.zonewire.wireguard.PublicKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The client state on its own: configuration it publishes, packets it keeps or drops, and what it asks the portal. */
class ClientStateTest {
    private static final Site HQ = new Site(UUID.randomUUID(), "HQ");
    private static final ClientResource.Cidr LAN = new ClientResource.Cidr(UUID.randomUUID(), IpNetwork.parse("10.0.0.0/24"), "lan", null,
            List.of(HQ), List.of());
    private static final Interface IFACE = new Interface(IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"),
            List.of(new DnsServer(new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53))));

    private final ClientState client = new ClientState(new SplittableRandom(1), Instant.parse("2025-06-01T12:00:00Z"), 0);

    @Test
    void initPublishesTheAddressesTheSentinelsAndTheRoutesOnce() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(LAN), List.of()), 0);

        TunConfig config = events(ClientEvent.TunInterfaceUpdated.class).getFirst().config();
        assertThat(config.ipv4()).isEqualTo(IFACE.ipv4());
        assertThat(config.dnsBySentinel()).containsValue(new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53));
        assertThat(config.routes().ipv4()).contains(IpNetwork.parse("10.0.0.0/24"), AddressPlan.PROXY_V4, AddressPlan.SENTINELS_V4);
        client.handlePortalMessage(new ClientInbound.ConfigChanged(IFACE), 0);
        assertThat(events(ClientEvent.TunInterfaceUpdated.class)).isEmpty();
    }

    @Test
    void aNewInterfaceAddressAloneIsPublishedToo() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(), List.of()), 0);
        events(ClientEvent.TunInterfaceUpdated.class);

        client.handlePortalMessage(new ClientInbound.ConfigChanged(new Interface(IpLiterals.parseIpv4("100.64.0.2"), IFACE.ipv6(),
                IFACE.upstreamDns())), 0);

        assertThat(events(ClientEvent.TunInterfaceUpdated.class).getFirst().config().ipv4()).isEqualTo(IpLiterals.parseIpv4("100.64.0.2"));
    }

    @Test
    void aPacketToAResourceWithoutFlowAsksThePortalAndWaits() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(LAN), List.of()), 0);

        assertThat(send(TestPackets.tcp("100.64.0.1", 40000, "10.0.0.5", 443))).isNull();
        assertThat(send(TestPackets.tcp("100.64.0.1", 40000, "10.0.0.5", 443))).isNull();

        assertThat(portalMessages()).containsExactly(new ClientOutbound.CreateFlow(LAN.id(), List.of()));
        assertThat(client.tableSizes()).containsEntry("pendingFlows", 1).containsEntry("packetsAwaitingFlows", 2);
    }

    @Test
    void packetsToNoResourceAndToProxyIpsNeverHandedOutAreDropped() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(LAN,
                new ClientResource.Internet(UUID.randomUUID(), "Internet", List.of(HQ), true)), List.of()), 0);

        send(TestPackets.udp("100.64.0.1", 40000, "100.96.0.9", 53));

        assertThat(client.count(ClientCounter.NO_RESOURCE)).isEqualTo(1);
        assertThat(portalMessages()).isEmpty();
    }

    @Test
    void igmpAndAllRoutersPacketsAreIgnored() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(), List.of()), 0);

        send(TestPackets.udp("100.64.0.1", 40000, "224.0.0.22", 1));
        send(TestPackets.udp("fd00:2021:1111::1", 40000, "ff02::2", 1));

        assertThat(client.count(ClientCounter.MULTICAST_IGNORED)).isEqualTo(2);
    }

    @Test
    void aDnsQueryForAResourceNameIsAnsweredOnTheTunDevice() throws Exception {
        ClientResource.Dns dns = new ClientResource.Dns(UUID.randomUUID(), "*.corp.test", "corp", null, List.of(HQ), List.of());
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(dns), List.of()), 0);
        String sentinel = client.tunConfig().dnsBySentinel().keySet().iterator().next().getHostAddress();
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("a.corp.test."), Type.A, DClass.IN)).toWire();

        send(TestPackets.udp("100.64.0.1", 5353, sentinel, 53, query));

        IpPacket answer = TestPackets.of(client.pollTunPacket());
        assertThat(answer.source().toInetAddress().getHostAddress()).isEqualTo(sentinel);
        assertThat(answer.udp().destinationPort()).isEqualTo(5353);
    }

    @Test
    void aFlowForAResourceTheClientDoesNotKnowIsIgnored() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(), List.of()), 0);

        client.handlePortalMessage(new ClientInbound.FlowCreated(UUID.randomUUID(), UUID.randomUUID(), HQ.id(),
                dev.zonewire.tunnel.messages.PublicKey.of(new byte[32]), Secret.ofBytes(new byte[32]),
                new IceCredentials("abcd", Secret.of("0123456789012345678901")),
                new IceCredentials("efgh", Secret.of("0123456789012345678901"))), 0);

        assertThat(client.count(ClientCounter.PORTAL_MESSAGES_IGNORED)).isEqualTo(1);
        assertThat(client.tableSizes()).containsEntry("connections", 0);
    }

    @Test
    void aPacketFromAGatewayToAnAddressOtherThanOursIsNotWrittenToTheTunDevice() {
        ClientState connected = ConnectedClient.create();

        boolean toLan = connected.handleGatewayPacket(ConnectedClient.GATEWAY, framed(TestPackets.udp("10.0.0.5", 53, "192.168.1.20", 40000)), 0);
        boolean toUs = connected.handleGatewayPacket(ConnectedClient.GATEWAY, framed(TestPackets.udp("10.0.0.5", 53, "100.64.0.1", 40000)), 0);

        assertThat(toLan).isFalse();
        assertThat(connected.count(ClientCounter.DESTINATION_NOT_OURS)).isEqualTo(1);
        assertThat(toUs).isTrue();
    }

    private static ByteBuffer framed(IpPacket packet) {
        return packet.buffer().duplicate().limit(packet.offset() + packet.length()).position(packet.offset());
    }

    @Test
    void onlyTheRefusedDestinationItselfCanMakeTheClientAskForItsFlowAgain() {
        ClientState connected = ConnectedClient.create();
        IpPacket fromOtherHost = prohibited(TestPackets.udp("100.64.0.1", 40000, "10.0.0.9", 80));
        fromOtherHost.setSource(IpAddress.parse("10.0.0.7"));
        IpPacket fromDestination = prohibited(TestPackets.udp("100.64.0.1", 40000, "10.0.0.9", 80));

        connected.handleGatewayPacket(ConnectedClient.GATEWAY, framed(fromOtherHost), 0);
        assertThat(connected.count(ClientCounter.FLOWS_REFUSED_BY_GATEWAY)).isZero();

        connected.handleGatewayPacket(ConnectedClient.GATEWAY, framed(fromDestination), 0);
        assertThat(connected.count(ClientCounter.FLOWS_REFUSED_BY_GATEWAY)).isEqualTo(1);
    }

    private static IpPacket prohibited(IpPacket about) {
        ByteBuffer buffer = ByteBuffer.allocate(TestPackets.HEADROOM + 1400);
        int length = IcmpErrors.destinationUnreachable(about, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, buffer, TestPackets.HEADROOM);
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        packet.wrap(buffer, TestPackets.HEADROOM, length);
        return packet;
    }

    @Test
    void anUnreachableQuotingOnlyTheUdpHeaderOfOurDnsQueryIsNotReadBeyondItsEnd() {
        ClientState connected = ConnectedClient.create();
        // Our DNS source port is random: quote a query from every port it can be.
        for (int port = TcpDnsClient.LOWEST_PORT; port <= TcpDnsClient.HIGHEST_PORT; port++) {
            IpPacket query = TestPackets.udp("100.64.0.1", port, "10.0.0.53", 53, new byte[] {0x12, 0x34, 1, 0});
            byte[] error = TestPackets.bytes(TestPackets.portUnreachable(query));
            // Cut the quote after the UDP header, as RFC 792 routers do, and end the buffer with the packet.
            byte[] cut = Arrays.copyOf(error, error.length - 4);
            ByteBuffer.wrap(cut).putShort(2, (short) cut.length);

            assertThat(connected.handleGatewayPacket(ConnectedClient.GATEWAY, ByteBuffer.wrap(cut), 0)).isTrue();
        }
    }

    @Test
    void aResetMakesANewKeyAndForgetsWaitingPackets() {
        client.handlePortalMessage(new ClientInbound.Init(IFACE, List.of(LAN), List.of()), 0);
        send(TestPackets.tcp("100.64.0.1", 40000, "10.0.0.5", 443));
        PublicKey before = client.publicKey();

        client.reset(1);

        assertThat(client.publicKey()).isNotEqualTo(before);
        assertThat(client.tableSizes()).containsEntry("pendingFlows", 0);
        assertThat(client.waitingPacketsDropped()).isEqualTo(1);
    }

    private Encapsulated.Send send(IpPacket packet) {
        byte[] bytes = TestPackets.bytes(packet);
        ByteBuffer buffer = ByteBuffer.allocate(ClientState.TUN_HEADROOM + bytes.length + ClientState.TUN_TAILROOM);
        buffer.put(ClientState.TUN_HEADROOM, bytes).position(ClientState.TUN_HEADROOM).limit(ClientState.TUN_HEADROOM + bytes.length);
        return client.handleTunPacket(buffer, 0);
    }

    private List<ClientOutbound> portalMessages() {
        List<ClientOutbound> messages = new ArrayList<>();
        for (ClientOutbound message = client.pollPortalMessage(); message != null; message = client.pollPortalMessage()) {
            messages.add(message);
        }
        return messages;
    }

    private <T extends ClientEvent> List<T> events(Class<T> kind) {
        List<T> matching = new ArrayList<>();
        for (ClientEvent event = client.pollEvent(); event != null; event = client.pollEvent()) {
            if (kind.isInstance(event)) {
                matching.add(kind.cast(event));
            }
        }
        return matching;
    }
}
