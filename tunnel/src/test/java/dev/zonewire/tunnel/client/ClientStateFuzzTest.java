package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.FuzzInput;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientMessages;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hostile input from every side of the client, in any order: packets applications write to the TUN device,
 * packets a connected gateway sends (after decryption: spoofed sources, control messages, DNS answers,
 * ICMP errors), portal messages, upstream DNS answers and raw datagrams. The client drops, answers or acts on
 * them and never throws; its tables stay within their bounds.
 */
class ClientStateFuzzTest {
    private static final List<String> EVENTS = List.of("init", "config_changed", "resource_created_or_updated", "resource_deleted",
            "relays_presence", "ice_candidates", "invalidate_ice_candidates", "flow_created", "flow_creation_failed", "disconnect");
    private static final long SECOND = 1_000_000_000L;

    @FuzzTest(maxDuration = "20s")
    void hostileInputIsDroppedOrAnsweredNeverThrown(byte[] bytes) {
        ClientState client = ConnectedClient.create();
        FuzzInput input = new FuzzInput(bytes);
        long now = SECOND;
        while (input.hasNext()) {
            int operation = input.nextOperation(5);
            byte[] payload = input.nextPayload();
            switch (operation) {
                case 0 -> client.handleTunPacket(framed(payload, ClientState.TUN_HEADROOM), now);
                case 1 -> client.handleGatewayPacket(ConnectedClient.GATEWAY, framed(payload, 0), now);
                case 2 -> portalMessage(client, payload, now);
                case 3 -> client.handleUpstreamResponse(payload.length % 2 == 0 ? DnsTransport.UDP : DnsTransport.TCP, ConnectedClient.UPSTREAM,
                        payload, now);
                default -> client.handleNetworkInput(new InetSocketAddress(IpLiterals.parse("198.51.100.2"), 40000),
                        new InetSocketAddress(IpLiterals.parse("198.51.100.3"), 52625), framed(payload, 0), now);
            }
            now += SECOND / 2;
            client.handleTimeout(now);
            drain(client);
        }
        assertThat(client.tableSizes().get("packetsAwaitingFlows")).isLessThanOrEqualTo(3 * PendingFlows.PACKETS_PER_FLOW);
        assertThat(client.tableSizes().get("tunQueue")).isLessThanOrEqualTo(ClientState.MAX_QUEUE);
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
