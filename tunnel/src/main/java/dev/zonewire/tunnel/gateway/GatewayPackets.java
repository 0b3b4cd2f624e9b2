package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IcmpErrors;
import dev.zonewire.ippacket.IpPacket;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The packet side of {@link GatewayAccess}: a packet from a client is checked and rewritten in place
 * (destination, source port or echo id, and NAT46/64 when the proxy IP and the real IP differ in
 * family), or the ICMP/ICMPv6 "administratively prohibited" answer for a denied flow is written; a packet
 * from the resource network is reverse-translated and its client named. Packets need
 * {@link IpPacket#NAT46_HEADROOM} free bytes before them for NAT46. Nothing here allocates unless it
 * answers.
 */
public final class GatewayPackets {
    private final GatewayAccess access;

    public GatewayPackets(GatewayAccess access) {
        this.access = access;
    }

    /** What became of a packet. */
    public enum Outcome {
        /** Rewritten in place: send {@code packet} (its offset and length may have moved) on. */
        FORWARD,
        /** Dropped; the reason is counted by {@link GatewayAccess}. */
        DROP,
        /** Dropped, and an ICMP error for the client was written to the output buffer. */
        ANSWER
    }

    /** The result of {@link #outbound}: what to do, and the length of the ICMP answer for {@link Outcome#ANSWER}. */
    public record Result(Outcome outcome, int answerLength) {
        static final Result FORWARD = new Result(Outcome.FORWARD, 0);
        static final Result DROP = new Result(Outcome.DROP, 0);
    }

    /**
     * A packet from {@code clientId} through the tunnel towards the resource network. When denied, an
     * answer may be written at {@code answerOffset} in {@code answerOut} (up to 1280 bytes).
     */
    public Result outbound(UUID clientId, IpPacket packet, long nowNanos, ByteBuffer answerOut, int answerOffset) {
        if (!packet.status().isValid()) {
            return Result.DROP;
        }
        return switch (access.outbound(clientId, packet, nowNanos)) {
            case FORWARD -> Result.FORWARD;
            case DROP -> Result.DROP;
            case ANSWER_PROHIBITED -> {
                int length = IcmpErrors.destinationUnreachable(packet, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, answerOut, answerOffset);
                yield length == IcmpErrors.NOT_SENT ? Result.DROP : new Result(Outcome.ANSWER, length);
            }
        };
    }

    /** A packet from the resource network: the client it goes to (after rewriting), or null when dropped. */
    public UUID inbound(IpPacket packet, long nowNanos) {
        if (!packet.status().isValid()) {
            return null;
        }
        ClientOnGateway client = access.inbound(packet, nowNanos);
        return client == null ? null : client.id();
    }
}
