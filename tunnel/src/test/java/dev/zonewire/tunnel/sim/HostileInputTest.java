package dev.zonewire.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.client.ClientCounter;
import dev.zonewire.tunnel.dns.DnsCounter;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.gateway.DropReason;
import dev.zonewire.tunnel.gateway.GatewayCounter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Hostile input on a running system: dropped or answered with a clear error, counted, never thrown. */
class HostileInputTest {
    private final World world = new World(WorldSpec.simple(21));
    private final PortalResource lan = world.portal.resources.get(world.resource("10.1.53.0/24"));

    @Test
    void aHostBehindTheGatewaySpoofingAnAddressOutsideItsResourcesIsDroppedByTheClient() {
        connect();
        SimGateway gateway = world.gateway(world.portal.authorizations.get(lan.id()).gateway());

        gateway.fromSite(TestPackets.bytes(TestPackets.udp("192.0.2.1", 53, "100.64.0.1", 40000)));
        world.settle(World.SECOND);

        assertThat(world.client.state.count(ClientCounter.SOURCE_NOT_ALLOWED)).isEqualTo(1);
        world.check();
    }

    @Test
    void anApplicationSpoofingItsSourceIsStoppedAtTheGateway() {
        connect();
        SimGateway gateway = world.gateway(world.portal.authorizations.get(lan.id()).gateway());

        world.client.fromApp(TestPackets.bytes(TestPackets.udp("100.64.0.99", 40000, "10.1.53.54", 1500)));
        world.settle(World.SECOND);

        assertThat(gateway.state.access().dropped(DropReason.SOURCE_NOT_ALLOWED)).isEqualTo(1);
        world.check();
    }

    @Test
    void aFlowTheGatewayNoLongerAuthorizesIsRefusedWithAnIcmpErrorAndAskedForAgain() {
        connect();
        UUID gatewayId = world.portal.authorizations.get(lan.id()).gateway();
        world.portal.toGateway(gatewayId, new GatewayInbound.RejectAccess(UUID.randomUUID(), World.CLIENT_ID, lan.id()));
        world.settle(World.SECOND);
        long flowsBefore = world.portal.flowsCreated;

        world.send(Probe.Protocol.TCP, IpAddress.parse("10.1.53.54"), 443);

        assertThat(world.refused(world.lastProbe())).isTrue();
        assertThat(world.gateway(gatewayId).state.access().dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);
        assertThat(world.gateway(gatewayId).state.access().count(GatewayCounter.ICMP_ERRORS_SENT)).isEqualTo(1);
        assertThat(world.client.state.count(ClientCounter.FLOWS_REFUSED_BY_GATEWAY)).isEqualTo(1);
        assertThat(world.portal.flowsCreated).isEqualTo(flowsBefore + 1);
        world.send(Probe.Protocol.TCP, IpAddress.parse("10.1.53.54"), 443);
        assertThat(world.replied(world.lastProbe())).isTrue();
    }

    @Test
    void anApplicationCannotWriteControlMessagesToAGatewayEvenThroughTheInternetResource() {
        world.grant(world.resource("internet"));
        world.send(Probe.Protocol.ICMP, IpAddress.parse("203.0.113.10"), 0);
        ByteBuffer control = ByteBuffer.allocate(80);
        int length = dev.zonewire.ippacket.PacketBuilder.p2pControl(control, 0, 0, ByteBuffer.wrap("{}".getBytes()));

        world.client.fromApp(java.util.Arrays.copyOf(control.array(), length));
        world.settle(World.SECOND);

        assertThat(world.client.state.count(ClientCounter.NO_RESOURCE)).isEqualTo(1);
        for (SimGateway any : world.gateways.values()) {
            assertThat(any.state.access().count(GatewayCounter.CONTROL_MALFORMED)).isZero();
        }
    }

    @Test
    void packetsToProxyIpsNobodyHandedOutGoNowhere() {
        world.grant(world.resource("internet"));

        world.send(Probe.Protocol.UDP, IpAddress.parse("100.96.7.7"), 53);
        world.send(Probe.Protocol.UDP, IpAddress.parse("fd00:2021:1111:8000::77"), 53);

        world.check();
        assertThat(world.client.state.count(ClientCounter.NO_RESOURCE)).isEqualTo(2);
    }

    @Test
    void malformedDnsQueriesAndAnswersAreCountedAndAnsweredOrDropped() {
        var sentinel = world.client.tunConfig.dnsBySentinel().keySet().iterator().next();

        world.client.fromApp(TestPackets.bytes(TestPackets.udp("100.64.0.1", 5353, sentinel.getHostAddress(), 53, new byte[] {1, 2, 3})));
        world.client.state.handleUpstreamResponse(DnsTransport.UDP, World.SYSTEM_RESOLVER, new byte[] {(byte) 0x80, 0, 1}, world.now);
        world.queryDns("www.public.test", Type.A, DnsTransport.UDP);

        assertThat(world.client.state.dns().count(DnsCounter.UNPARSABLE_QUERIES)).isEqualTo(1);
        assertThat(world.client.state.dns().count(DnsCounter.MALFORMED_UPSTREAM_RESPONSES)).isEqualTo(1);
        world.check();
    }

    /** The client reaches the CIDR resource of the DNS server's network, so that a flow and a connection exist. */
    private void connect() {
        world.grant(lan.id());
        world.send(Probe.Protocol.UDP, IpAddress.parse("10.1.53.54"), 1500);
        world.check();
        assertThat(world.portal.authorizations).containsKey(lan.id());
        assertThat(List.of(world.replied(world.lastProbe()))).containsExactly(true);
    }
}
