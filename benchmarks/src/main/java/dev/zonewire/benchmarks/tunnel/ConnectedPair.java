package dev.zonewire.benchmarks.tunnel;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.tunnel.client.ClientState;
import dev.zonewire.tunnel.gateway.GatewayAccess;
import dev.zonewire.tunnel.gateway.GatewayState;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A client and a gateway connected directly in memory, playing the portal between them: the client holds
 * a CIDR resource ({@value #LAN}) and a DNS resource ({@value #PATTERN}), both with flows to the gateway,
 * and the gateway has set up the DNS NAT of {@value #NAME} to {@value #REAL_IP}.
 */
final class ConnectedPair {
    static final String LAN = "10.0.0.0/16";
    static final String PATTERN = "*.corp.test";
    static final String NAME = "app.corp.test";
    static final String REAL_IP = "10.0.9.7";
    static final UUID CLIENT_ID = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    static final UUID GATEWAY_ID = UUID.fromString("b3d34a15-55ab-40df-994b-a838e75d65d7");
    static final InetSocketAddress CLIENT_HOST = new InetSocketAddress(IpLiterals.parse("198.51.100.2"), 40000);
    static final InetSocketAddress GATEWAY_HOST = new InetSocketAddress(IpLiterals.parse("198.51.100.3"), 52625);
    private static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");
    private static final Site SITE = new Site(UUID.randomUUID(), "HQ");
    private static final long MILLI = 1_000_000L;
    private static final IceCredentials CLIENT_ICE = new IceCredentials("zh7u", Secret.of("qjgfypikkdukntyerje7nk"));
    private static final IceCredentials GATEWAY_ICE = new IceCredentials("jtav", Secret.of("55msandulwetkxat6ntmga"));

    final ClientState client = new ClientState(new SplittableRandom(1), WALL_CLOCK, 0);
    final GatewayState gateway = new GatewayState(new SplittableRandom(2), WALL_CLOCK, 0);
    final ClientResource.Cidr lan = new ClientResource.Cidr(UUID.randomUUID(), IpNetwork.parse(LAN), "lan", null, List.of(SITE), List.of());
    final ClientResource.Dns web = new ClientResource.Dns(UUID.randomUUID(), PATTERN, "web", null, List.of(SITE), List.of());
    /** The first proxy IP the client's stub resolver handed out for {@value #NAME}. */
    final IpAddress proxyIp = IpAddress.parse("100.96.0.1");
    long now = 1;

    ConnectedPair() {
        client.addLocalAddress(CLIENT_HOST, now);
        gateway.addLocalAddress(GATEWAY_HOST, now);
        gateway.handlePortalMessage(new GatewayInbound.Init(new Interface(IpLiterals.parseIpv4("100.64.0.10"),
                IpLiterals.parseIpv6("fd00:2021:1111::a"), List.of()), false, false, List.of()), now);
        client.handlePortalMessage(new ClientInbound.Init(new Interface(IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"),
                List.of(new DnsServer(new InetSocketAddress(IpLiterals.parse("192.0.2.53"), 53)))), List.of(lan, web), List.of()), now);
        fromApp(packet("100.64.0.1", 40000, "10.0.9.9", 80));
        resolveProxyIps();
        fromApp(packet("100.64.0.1", 40000, proxyIp.toString(), 80));
        settle();
        if (client.tableSizes().get("connections") != 1 || gateway.access().client(CLIENT_ID) == null) {
            throw new IllegalStateException("the pair did not connect");
        }
    }

    /** A TCP packet with a payload of 1200 bytes. */
    static byte[] packet(String source, int sourcePort, String destination, int destinationPort) {
        ByteBuffer buffer = ByteBuffer.allocate(IpPacket.TUNNEL_MTU);
        int length = PacketBuilder.tcp(buffer, 0, IpAddress.parse(source), IpAddress.parse(destination), sourcePort, destinationPort, 1, 1,
                0x18, 65535, ByteBuffer.allocate(1200));
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }

    /** The application's query for {@value #NAME} makes the stub resolver hand out its proxy IPs (the first is {@link #proxyIp}). */
    private void resolveProxyIps() {
        InetAddress sentinel = client.tunConfig().dnsBySentinel().keySet().iterator().next();
        byte[] query;
        try {
            query = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(org.xbill.DNS.Name.fromString(NAME + "."),
                    org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN)).toWire();
        } catch (org.xbill.DNS.TextParseException impossible) {
            throw new AssertionError(impossible);
        }
        ByteBuffer udp = ByteBuffer.allocate(IpPacket.TUNNEL_MTU);
        int length = PacketBuilder.udp(udp, 0, IpAddress.parse("100.64.0.1"), IpAddress.of(sentinel), 5353, 53, ByteBuffer.wrap(query));
        byte[] bytes = new byte[length];
        udp.get(0, bytes);
        fromApp(bytes);
        while (client.pollTunPacket() != null) {
            // The answer: its first address is 100.96.0.1, the first proxy IP handed out.
        }
    }

    private void fromApp(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.allocate(ClientState.TUN_HEADROOM + packet.length + ClientState.TUN_TAILROOM);
        buffer.put(ClientState.TUN_HEADROOM, packet).limit(ClientState.TUN_HEADROOM + packet.length).position(ClientState.TUN_HEADROOM);
        Encapsulated.Send send = client.handleTunPacket(buffer, now);
        if (send != null) {
            toGateway(buffer);
        }
        settle();
    }

    /** Plays the network and the portal until nothing moves, advancing time to the next timer. */
    private void settle() {
        for (int round = 0; round < 2000; round++) {
            boolean moved = false;
            for (Transmit transmit = client.pollTransmit(); transmit != null; transmit = client.pollTransmit()) {
                moved = true;
                toGateway(ByteBuffer.wrap(transmit.payload()));
            }
            for (Transmit transmit = gateway.pollTransmit(); transmit != null; transmit = gateway.pollTransmit()) {
                moved = true;
                client.handleNetworkInput(CLIENT_HOST, GATEWAY_HOST, ByteBuffer.wrap(transmit.payload()), now);
            }
            for (ClientOutbound message = client.pollPortalMessage(); message != null; message = client.pollPortalMessage()) {
                moved = true;
                portalFromClient(message);
            }
            for (GatewayOutbound message = gateway.pollPortalMessage(); message != null; message = gateway.pollPortalMessage()) {
                moved = true;
                portalFromGateway(message);
            }
            for (GatewayAccess.Resolve resolve = gateway.pollResolve(); resolve != null; resolve = gateway.pollResolve()) {
                moved = true;
                gateway.handleResolved(resolve.id(), List.of(IpLiterals.parse(REAL_IP)), now);
            }
            while (client.pollTunPacket() != null || client.pollEvent() != null || client.pollUpstreamQuery() != null) {
                moved = true;
            }
            if (!moved) {
                long next = Math.min(client.pollTimeout(), gateway.pollTimeout());
                if (next - now > 500 * MILLI) {
                    return;
                }
                now = Math.max(now + MILLI, next);
                client.handleTimeout(now);
                gateway.handleTimeout(now, WALL_CLOCK.plusNanos(now));
            }
        }
    }

    private void toGateway(ByteBuffer datagram) {
        ByteBuffer framed = ByteBuffer.allocate(GatewayState.NETWORK_HEADROOM + datagram.remaining());
        framed.put(GatewayState.NETWORK_HEADROOM, datagram, datagram.position(), datagram.remaining()).position(GatewayState.NETWORK_HEADROOM);
        gateway.handleNetworkInput(GATEWAY_HOST, CLIENT_HOST, framed, now);
    }

    private void portalFromClient(ClientOutbound message) {
        switch (message) {
            case ClientOutbound.CreateFlow flow -> {
                GatewayResource resource = flow.resourceId().equals(lan.id())
                        ? new GatewayResource.Cidr(lan.id(), lan.address(), "lan", List.of())
                        : new GatewayResource.Dns(web.id(), PATTERN, "web", List.of());
                var who = new GatewayInbound.FlowClient(CLIENT_ID, PublicKey.of(client.publicKey().bytes()), Secret.ofBytes(new byte[32]),
                        IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"));
                gateway.handlePortalMessage(new GatewayInbound.AuthorizeFlow(flow.resourceId().toString(), null, null, resource, GATEWAY_ICE, who,
                        CLIENT_ICE, null), now);
            }
            case ClientOutbound.BroadcastIceCandidates candidates ->
                    gateway.handlePortalMessage(new GatewayInbound.IceCandidates(CLIENT_ID, candidates.candidates()), now);
            default -> { }
        }
    }

    private void portalFromGateway(GatewayOutbound message) {
        switch (message) {
            case GatewayOutbound.FlowAuthorized authorized -> client.handlePortalMessage(new ClientInbound.FlowCreated(
                    UUID.fromString(authorized.ref()), GATEWAY_ID, SITE.id(), PublicKey.of(gateway.publicKey().bytes()),
                    Secret.ofBytes(new byte[32]), CLIENT_ICE, GATEWAY_ICE), now);
            case GatewayOutbound.BroadcastIceCandidates candidates ->
                    client.handlePortalMessage(new ClientInbound.IceCandidates(GATEWAY_ID, candidates.candidates()), now);
            default -> { }
        }
    }
}
