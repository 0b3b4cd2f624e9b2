package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.FamilyTranslator;
import dev.zonewire.ippacket.IcmpErrors;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.ippacket.Ipv6Address;
import dev.zonewire.ippacket.PacketStatus;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The packet side of {@link GatewayAccess}: it reads a packet's addressing, asks for the verdict, and
 * rewrites the packet in place (destination, source port or echo id, and NAT46/64 when the proxy IP and
 * the real IP differ in family), or writes the ICMP/ICMPv6 "administratively prohibited" answer for a
 * denied flow. Packets need {@link IpPacket#NAT46_HEADROOM} free bytes before them for NAT46.
 */
public final class GatewayPackets {
    private final GatewayAccess access;
    private long untranslatable;

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
        Flow flow = flowOf(packet);
        Verdict verdict = access.outbound(clientId, flow, nowNanos);
        return switch (verdict) {
            case Verdict.Forward forward -> rewrite(packet, flow, forward.flow()) ? Result.FORWARD : Result.DROP;
            case Verdict.Drop drop when drop.answerProhibited() -> {
                int length = IcmpErrors.destinationUnreachable(packet, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, answerOut, answerOffset);
                yield length == IcmpErrors.NOT_SENT ? Result.DROP : new Result(Outcome.ANSWER, length);
            }
            case Verdict.Drop drop -> Result.DROP;
        };
    }

    /** A packet from the resource network: the client it goes to (after rewriting), or null when dropped. */
    public UUID inbound(IpPacket packet, long nowNanos) {
        if (!packet.status().isValid()) {
            return null;
        }
        Flow flow = flowOf(packet);
        return switch (access.inbound(flow, nowNanos)) {
            case InboundRoute.ToClient to -> rewrite(packet, flow, to.flow()) ? to.clientId() : null;
            case InboundRoute.Drop drop -> null;
        };
    }

    /** Packets whose rewrite the packet layer refused (e.g. no headroom, untranslatable ICMP). */
    public long untranslatable() {
        return untranslatable;
    }

    static Flow flowOf(IpPacket packet) {
        TransportProtocol protocol = switch (packet.flowProtocol()) {
            case TCP -> TransportProtocol.TCP;
            case UDP -> TransportProtocol.UDP;
            case ICMP_ECHO -> TransportProtocol.ICMP_ECHO;
            case UNSUPPORTED -> packet.isIcmpv4() || packet.isIcmpv6() ? TransportProtocol.ICMP_OTHER : TransportProtocol.OTHER;
        };
        boolean ported = protocol.hasPortOrIdentifier();
        return new Flow(protocol, packet.source().toInetAddress(), ported ? packet.sourcePort() : 0,
                packet.destination().toInetAddress(), ported ? packet.destinationPort() : 0);
    }

    /** Makes the packet carry {@code to} instead of {@code from}: addresses (across families if needed) and ports or echo id. */
    private boolean rewrite(IpPacket packet, Flow from, Flow to) {
        if (from.equals(to)) {
            return true;
        }
        boolean familyChanges = (from.destination() instanceof Inet4Address) != (to.destination() instanceof Inet4Address);
        if (familyChanges) {
            PacketStatus status = to.destination() instanceof Inet6Address
                    ? FamilyTranslator.toIpv6(packet, (Ipv6Address) address(to.source()), (Ipv6Address) address(to.destination()))
                    : FamilyTranslator.toIpv4(packet, (Ipv4Address) address(to.source()), (Ipv4Address) address(to.destination()));
            if (!status.isValid()) {
                untranslatable++;
                return false;
            }
        } else {
            if (!from.source().equals(to.source())) {
                packet.setSource(address(to.source()));
            }
            if (!from.destination().equals(to.destination())) {
                packet.setDestination(address(to.destination()));
            }
        }
        if (from.sourcePort() != to.sourcePort()) {
            packet.setSourcePort(to.sourcePort());
        }
        if (to.protocol() != TransportProtocol.ICMP_ECHO && from.destinationPort() != to.destinationPort()) {
            packet.setDestinationPort(to.destinationPort());
        }
        return true;
    }

    private static IpAddress address(InetAddress address) {
        return IpAddress.of(address);
    }
}
