package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GatewayStateTest {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");
    private static final IceCredentials CLIENT_ICE = new IceCredentials("hgwh", Secret.of("j2fqufatn7xlrrvv6fsvea"));
    private static final IceCredentials GATEWAY_ICE = new IceCredentials("ejqt", Secret.of("zfjrrjdkbci42t2axyd45a"));

    private final GatewayState gateway = new GatewayState(new SplittableRandom(1), WALL_CLOCK, 0);

    @Test
    void initSetsTheTunAddressesAndRoutesTheClientRanges() {
        gateway.handlePortalMessage(new GatewayInbound.Init(new Interface(IpLiterals.parseIpv4("100.64.0.10"),
                IpLiterals.parseIpv6("fd00:2021:1111::a"), List.of()), true, true, List.of()), 0);

        GatewayEvent.TunInterfaceUpdated event = (GatewayEvent.TunInterfaceUpdated) gateway.pollEvent();
        assertThat(event.ipv4()).isEqualTo(IpLiterals.parseIpv4("100.64.0.10"));
        assertThat(event.routes()).containsExactly(AddressPlan.PEERS_V4, AddressPlan.PEERS_V6);
    }

    @Test
    void anAuthorizedFlowIsAnsweredBeforeTheCandidatesOfItsConnection() {
        gateway.addLocalAddress(new InetSocketAddress(IpLiterals.parse("198.51.100.3"), 52625), 0);

        gateway.handlePortalMessage(flow(GATEWAY_ICE), 0);

        List<GatewayOutbound> messages = drain();
        assertThat(messages.getFirst()).isEqualTo(new GatewayOutbound.FlowAuthorized("ref-1"));
        assertThat(messages.subList(1, messages.size())).isNotEmpty().allSatisfy(message ->
                assertThat(message).isInstanceOf(GatewayOutbound.BroadcastIceCandidates.class));
        assertThat(gateway.connectionCount()).isEqualTo(1);
        assertThat(gateway.access().client(CLIENT)).isNotNull();
    }

    @Test
    void aFlowWithCredentialsSnownetCannotUseGrantsNothingAndIsNotAnswered() {
        gateway.handlePortalMessage(flow(new IceCredentials("x", Secret.of("short"))), 0);

        assertThat(drain()).isEmpty();
        assertThat(gateway.access().client(CLIENT)).isNull();
        assertThat(gateway.count(GatewayStateCounter.PORTAL_MESSAGES_REFUSED)).isEqualTo(1);
    }

    @Test
    void garbageFromTheTunDeviceIsCountedAndGoesNowhere() {
        ByteBuffer buffer = ByteBuffer.allocate(GatewayState.TUN_HEADROOM + 64 + GatewayState.TUN_TAILROOM);
        buffer.position(GatewayState.TUN_HEADROOM).limit(GatewayState.TUN_HEADROOM + 10);

        assertThat(gateway.handleTunInput(buffer, 0)).isNull();
        assertThat(gateway.malformed(PacketStatus.UNKNOWN_VERSION)).isEqualTo(1);
    }

    @Test
    void aPacketFromTheResourceNetworkToAnUnknownClientIsDropped() {
        var reply = TestPackets.udp("172.20.0.9", 53, "100.64.0.1", 40000);
        ByteBuffer buffer = ByteBuffer.allocate(GatewayState.TUN_HEADROOM + reply.length() + GatewayState.TUN_TAILROOM);
        buffer.put(GatewayState.TUN_HEADROOM, TestPackets.bytes(reply)).position(GatewayState.TUN_HEADROOM)
                .limit(GatewayState.TUN_HEADROOM + reply.length());

        assertThat(gateway.handleTunInput(buffer, 0)).isNull();
        assertThat(gateway.access().dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);
    }

    private List<GatewayOutbound> drain() {
        List<GatewayOutbound> messages = new ArrayList<>();
        for (GatewayOutbound message = gateway.pollPortalMessage(); message != null; message = gateway.pollPortalMessage()) {
            messages.add(message);
        }
        return messages;
    }

    private static GatewayInbound.AuthorizeFlow flow(IceCredentials gatewayIce) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.fromBase64("fiAjSBWDgQfD1CFJkTwOf4zg+1QhH0eTT+oLaVIMpH8="),
                Secret.fromBase64("BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM="), IpLiterals.parseIpv4("100.64.0.1"),
                IpLiterals.parseIpv6("fd00:2021:1111::1"));
        return new GatewayInbound.AuthorizeFlow("ref-1", null, null,
                new GatewayResource.Cidr(UUID.randomUUID(), IpNetwork.parse("172.20.0.0/16"), "lan", List.of()), gatewayIce, client, CLIENT_ICE,
                null);
    }
}
