package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.FuzzInput;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayMessages;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Hostile input from every side of the gateway, in any order: packets an authorized client sends through
 * its tunnel (after decryption: spoofed sources, unauthorized destinations, control messages), packets from
 * the resource network, portal messages, name resolutions and raw datagrams. The gateway drops, answers or
 * acts on them and never throws; its tables stay within their bounds.
 */
class GatewayStateFuzzTest {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final List<String> EVENTS = List.of("init", "relays_presence", "authorize_flow", "request_connection", "allow_access",
            "reject_access", "resource_updated", "ice_candidates", "invalidate_ice_candidates", "disconnect");
    private static final long SECOND = 1_000_000_000L;
    private static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");

    @FuzzTest(maxDuration = "20s")
    void hostileInputIsDroppedOrAnsweredNeverThrown(byte[] bytes) {
        GatewayState gateway = new GatewayState(new SplittableRandom(3), WALL_CLOCK, 0);
        authorize(gateway, new GatewayResource.Cidr(UUID.randomUUID(), IpNetwork.parse("10.0.0.0/24"), "lan", List.of(new Filter.Tcp(80, 80))));
        authorize(gateway, new GatewayResource.Dns(UUID.fromString("03000143-e25e-45c7-aafb-144990e57dcd"), "*.corp.test", "web", List.of()));
        FuzzInput input = new FuzzInput(bytes);
        long now = SECOND;
        while (input.hasNext()) {
            int operation = input.nextOperation(5);
            byte[] payload = input.nextPayload();
            switch (operation) {
                case 0 -> gateway.handleClientPacket(CLIENT, framed(payload, GatewayState.NETWORK_HEADROOM), now);
                case 1 -> gateway.handleTunInput(framed(payload, GatewayState.TUN_HEADROOM), now);
                case 2 -> portalMessage(gateway, payload, now);
                case 3 -> resolved(gateway, payload, now);
                default -> gateway.handleNetworkInput(new InetSocketAddress(IpLiterals.parse("198.51.100.3"), 52625),
                        new InetSocketAddress(IpLiterals.parse("198.51.100.2"), 40000), framed(payload, GatewayState.NETWORK_HEADROOM), now);
            }
            now += SECOND / 2;
            gateway.handleTimeout(now, WALL_CLOCK.plusNanos(now));
            while (gateway.pollTransmit() != null || gateway.pollPortalMessage() != null || gateway.pollEvent() != null) {
                // Everything the gateway produced is taken, as a driver would; resolutions stay pending for operation 3.
            }
        }
        assertThat(gateway.access().pendingResolutions()).isLessThanOrEqualTo(GatewayAccess.MAX_PENDING_RESOLUTIONS);
        ClientOnGateway client = gateway.access().client(CLIENT);
        if (client != null) {
            assertThat(client.translationCount()).isLessThanOrEqualTo(ClientOnGateway.MAX_TRANSLATIONS);
        }
    }

    private static void authorize(GatewayState gateway, GatewayResource resource) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.fromBase64("fiAjSBWDgQfD1CFJkTwOf4zg+1QhH0eTT+oLaVIMpH8="),
                Secret.ofBytes(new byte[32]), IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"));
        gateway.handlePortalMessage(new GatewayInbound.AuthorizeFlow("ref", null, null, resource,
                new IceCredentials("jtav", Secret.of("55msandulwetkxat6ntmga")), client,
                new IceCredentials("zh7u", Secret.of("qjgfypikkdukntyerje7nk")), null), 0);
    }

    private static void portalMessage(GatewayState gateway, byte[] payload, long now) {
        if (payload.length == 0) {
            return;
        }
        String event = EVENTS.get((payload[0] & 0xFF) % EVENTS.size());
        String json = new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
        if (GatewayMessages.decodeInbound(event, json) instanceof Decoded.Message<GatewayInbound>(GatewayInbound message)) {
            gateway.handlePortalMessage(message, now);
        }
    }

    /** Answers the oldest pending resolution with addresses made of the payload (4 or 16 bytes each). */
    private static void resolved(GatewayState gateway, byte[] payload, long now) {
        GatewayAccess.Resolve resolve = gateway.pollResolve();
        if (resolve == null) {
            return;
        }
        List<InetAddress> addresses = new ArrayList<>();
        int index = 0;
        while (index < payload.length) {
            int size = (payload[index] & 1) == 0 ? 4 : 16;
            if (index + size > payload.length) {
                break;
            }
            try {
                addresses.add(InetAddress.getByAddress(java.util.Arrays.copyOfRange(payload, index, index + size)));
            } catch (java.net.UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
            index += size;
        }
        gateway.handleResolved(resolve.id(), addresses, now);
    }

    private static ByteBuffer framed(byte[] payload, int headroom) {
        ByteBuffer buffer = ByteBuffer.allocate(headroom + Math.max(payload.length, IpPacket.TUNNEL_MTU) + 64);
        buffer.put(headroom, payload).position(headroom).limit(headroom + payload.length);
        return buffer;
    }
}
