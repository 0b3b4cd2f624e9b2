package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.FuzzInput;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientMessages;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Hostile input from every side of the client, in any order: packets applications write to the TUN device,
 * packets a connected gateway sends (after decryption: spoofed sources, control messages, DNS answers,
 * ICMP errors), portal messages, upstream DNS answers and raw datagrams. The client drops, answers or acts on
 * them and never throws; its tables stay within their bounds.
 */
class ClientStateFuzzTest {
    static final UUID GATEWAY = UUID.fromString("b3d34a15-55ab-40df-994b-a838e75d65d7");
    private static final Site SITE = new Site(UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"), "HQ");
    private static final ClientResource.Cidr LAN = new ClientResource.Cidr(UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6"),
            IpNetwork.parse("10.0.0.0/24"), "lan", null, List.of(SITE), List.of());
    private static final ClientResource.Dns WEB = new ClientResource.Dns(UUID.fromString("03000143-e25e-45c7-aafb-144990e57dcd"),
            "*.corp.test", "web", null, List.of(SITE), List.of());
    private static final ClientResource.Internet INTERNET = new ClientResource.Internet(UUID.fromString("1106047c-cd5d-4151-b679-96b93da7383b"),
            "Internet", List.of(SITE), true);
    private static final List<String> EVENTS = List.of("init", "config_changed", "resource_created_or_updated", "resource_deleted",
            "relays_presence", "ice_candidates", "invalidate_ice_candidates", "flow_created", "flow_creation_failed", "disconnect");
    private static final InetSocketAddress UPSTREAM = new InetSocketAddress(IpLiterals.parse("10.0.0.53"), 53);
    private static final long SECOND = 1_000_000_000L;

    @FuzzTest(maxDuration = "20s")
    void hostileInputIsDroppedOrAnsweredNeverThrown(byte[] bytes) {
        ClientState client = connectedClient();
        FuzzInput input = new FuzzInput(bytes);
        long now = SECOND;
        while (input.hasNext()) {
            int operation = input.nextOperation(5);
            byte[] payload = input.nextPayload();
            switch (operation) {
                case 0 -> client.handleTunPacket(framed(payload, ClientState.TUN_HEADROOM), now);
                case 1 -> client.handleGatewayPacket(GATEWAY, framed(payload, 0), now);
                case 2 -> portalMessage(client, payload, now);
                case 3 -> client.handleUpstreamResponse(payload.length % 2 == 0 ? DnsTransport.UDP : DnsTransport.TCP, UPSTREAM, payload, now);
                default -> client.handleNetworkInput(new InetSocketAddress(IpLiterals.parse("198.51.100.2"), 40000),
                        new InetSocketAddress(IpLiterals.parse("198.51.100.3"), 52625), framed(payload, 0), now);
            }
            now += SECOND / 2;
            client.handleTimeout(now);
            drain(client);
        }
        assertThat(client.tableSizes().get("packetsAwaitingFlows")).isLessThanOrEqualTo(3 * PendingFlows.PACKETS_PER_FLOW);
        assertThat(client.tableSizes().get("tunQueue")).isLessThanOrEqualTo(ClientState.MAX_TUN_QUEUE);
    }

    /** A client with a CIDR, a DNS and the Internet resource, whose flows to one gateway exist. */
    static ClientState connectedClient() {
        ClientState client = new ClientState(new SplittableRandom(7), Instant.parse("2025-06-01T12:00:00Z"), 0);
        Interface iface = new Interface(IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"),
                List.of(new DnsServer(UPSTREAM)));
        client.handlePortalMessage(new ClientInbound.Init(iface, List.of(LAN, WEB, INTERNET), List.of()), 0);
        for (UUID resource : List.of(LAN.id(), WEB.id(), INTERNET.id())) {
            client.handlePortalMessage(new ClientInbound.FlowCreated(resource, GATEWAY, SITE.id(),
                    PublicKey.fromBase64("dvy0IwyxAi+txSbAdT7WKgf7K4TekhKzrnYwt5WfbSM="), Secret.ofBytes(new byte[32]),
                    new IceCredentials("zh7u", Secret.of("qjgfypikkdukntyerje7nk")), new IceCredentials("jtav", Secret.of("55msandulwetkxat6ntmga"))), 0);
        }
        drain(client);
        return client;
    }

    private static void portalMessage(ClientState client, byte[] payload, long now) {
        if (payload.length == 0) {
            return;
        }
        String event = EVENTS.get((payload[0] & 0xFF) % EVENTS.size());
        String json = new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
        if (ClientMessages.decodeInbound(event, json) instanceof Decoded.Message<ClientInbound>(ClientInbound message)) {
            client.handlePortalMessage(message, now);
        }
    }

    static ByteBuffer framed(byte[] payload, int headroom) {
        ByteBuffer buffer = ByteBuffer.allocate(headroom + Math.max(payload.length, IpPacket.TUNNEL_MTU) + 64);
        buffer.put(headroom, payload).position(headroom).limit(headroom + payload.length);
        return buffer;
    }

    static void drain(ClientState client) {
        while (client.pollTransmit() != null || client.pollTunPacket() != null || client.pollPortalMessage() != null
                || client.pollEvent() != null || client.pollUpstreamQuery() != null) {
            // Everything the client produced is taken, as a driver would.
        }
    }
}
