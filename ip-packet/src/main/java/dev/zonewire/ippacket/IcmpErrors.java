package dev.zonewire.ippacket;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Builds the ICMP or ICMPv6 error a gateway sends back when it will not forward a packet (for
 * example a flow its policy denies). The error goes from the offending packet's destination to
 * its source, so that it passes the client's check that traffic from a gateway comes from a
 * resource address, and quotes as much of the offending packet as RFC 1812 (576 bytes in all)
 * or RFC 4443 (1280 bytes in all) allows.
 *
 * <p>The methods return the length written, or {@link #NOT_SENT} when RFC 1812 section 4.3.2.7
 * or RFC 4443 section 2.4 (e) forbids an error about that packet: it is itself an ICMP error, or
 * its destination is multicast or broadcast, or its source does not name a single host. Rate
 * limiting errors is the caller's job.
 */
public final class IcmpErrors {

    public static final int NOT_SENT = 0;
    /** RFC 1812 section 4.3.2.3: an ICMPv4 error is at most 576 bytes. */
    public static final int IPV4_ERROR_MAX_LENGTH = 576;
    /** RFC 4443 section 2.4 (c): an ICMPv6 error does not exceed the minimum IPv6 MTU. */
    public static final int IPV6_ERROR_MAX_LENGTH = 1280;

    /** Why a destination is unreachable, mapped to the matching code of each family. */
    public enum Unreachable {
        /** ICMPv4 network unreachable (3/0); ICMPv6 no route to destination (1/0). */
        NO_ROUTE(Icmpv4Message.NET_UNREACHABLE, Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.NO_ROUTE),
        /** ICMPv4 host unreachable (3/1); ICMPv6 address unreachable (1/3). */
        HOST_UNREACHABLE(Icmpv4Message.HOST_UNREACHABLE, Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.ADDRESS_UNREACHABLE),
        /** ICMPv4 protocol unreachable (3/2); ICMPv6 parameter problem, unrecognized next header (4/1) pointing at it. */
        PROTOCOL_UNREACHABLE(Icmpv4Message.PROTOCOL_UNREACHABLE, Icmpv6Message.PARAMETER_PROBLEM, Icmpv6Message.UNRECOGNIZED_NEXT_HEADER),
        /** ICMPv4 port unreachable (3/3); ICMPv6 port unreachable (1/4). */
        PORT_UNREACHABLE(Icmpv4Message.PORT_UNREACHABLE, Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.PORT_UNREACHABLE),
        /** For denied flows. ICMPv4 communication administratively prohibited (3/13, RFC 1812); ICMPv6 administratively prohibited (1/1). */
        ADMINISTRATIVELY_PROHIBITED(Icmpv4Message.COMMUNICATION_PROHIBITED, Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.ADMINISTRATIVELY_PROHIBITED);

        private final int ipv4Code;
        private final int ipv6Type;
        private final int ipv6Code;

        Unreachable(int ipv4Code, int ipv6Type, int ipv6Code) {
            this.ipv4Code = ipv4Code;
            this.ipv6Type = ipv6Type;
            this.ipv6Code = ipv6Code;
        }
    }

    private IcmpErrors() {}

    /**
     * Writes a destination-unreachable error about {@code offending} (a valid packet of its own)
     * at {@code offset} in {@code out}, which must not overlap the offending packet.
     */
    public static int destinationUnreachable(IpPacket offending, Unreachable reason, ByteBuffer out, int offset) {
        if (!mayAnswer(offending, false)) {
            return NOT_SENT;
        }
        if (offending.isIpv4()) {
            return write(offending, Icmpv4Message.DESTINATION_UNREACHABLE, reason.ipv4Code, 0, out, offset);
        }
        int rest = reason == Unreachable.PROTOCOL_UNREACHABLE ? protocolFieldOffset(offending) : 0;
        return write(offending, reason.ipv6Type, reason.ipv6Code, rest, out, offset);
    }

    /**
     * Writes an ICMPv4 fragmentation-needed (3/4) or ICMPv6 packet-too-big (2/0) error telling the
     * sender of {@code offending} to send packets of at most {@code mtu} bytes. Unlike other
     * errors, RFC 4443 allows it about a packet sent to a multicast address.
     */
    public static int packetTooBig(IpPacket offending, int mtu, ByteBuffer out, int offset) {
        if (!mayAnswer(offending, true)) {
            return NOT_SENT;
        }
        if (offending.isIpv4()) {
            if (mtu < 68 || mtu > 0xFFFF) {
                throw new IllegalArgumentException("an IPv4 MTU is in [68, 65535]: " + mtu);
            }
            return write(offending, Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.FRAGMENTATION_NEEDED, mtu, out, offset);
        }
        if (mtu < IpPacket.TUNNEL_MTU) {
            throw new IllegalArgumentException("an IPv6 MTU is at least 1280: " + mtu);
        }
        return write(offending, Icmpv6Message.PACKET_TOO_BIG, 0, mtu, out, offset);
    }

    private static int write(IpPacket offending, int type, int code, int restOfHeader, ByteBuffer out, int offset) {
        ByteBuffer in = offending.buffer();
        int from = offending.offset();
        boolean ipv4 = offending.isIpv4();
        int headerLength = ipv4 ? 20 : 40;
        int maxLength = ipv4 ? IPV4_ERROR_MAX_LENGTH : IPV6_ERROR_MAX_LENGTH;
        int quoteLength = Math.min(offending.length(), maxLength - headerLength - 8);
        int icmpLength = 8 + quoteLength;
        Objects.checkFromIndexSize(offset, headerLength + icmpLength, out.limit());
        requireNoOverlap(offending, out, offset, headerLength + icmpLength);

        int icmp = offset + headerLength;
        out.put(icmp + 8, in, from, quoteLength);
        out.put(icmp, (byte) type);
        out.put(icmp + 1, (byte) code);
        out.putShort(icmp + 2, (short) 0);
        out.putInt(icmp + 4, restOfHeader);
        long pseudoHeader;
        if (ipv4) {
            PacketBuilder.writeIpv4Header(out, offset, 0, headerLength + icmpLength, PacketBuilder.DEFAULT_TTL,
                    IpPacket.PROTOCOL_ICMP, in.getInt(from + 16), in.getInt(from + 12));
            pseudoHeader = 0;
        } else {
            PacketBuilder.writeIpv6Header(out, offset, 0, icmpLength, IpPacket.PROTOCOL_ICMPV6, PacketBuilder.DEFAULT_TTL,
                    in.getLong(from + 24), in.getLong(from + 32), in.getLong(from + 8), in.getLong(from + 16));
            pseudoHeader = Checksum.sum(out, offset + 8, 32) + IpPacket.PROTOCOL_ICMPV6 + icmpLength;
        }
        out.putShort(icmp + 2, (short) Checksum.finish(pseudoHeader + Checksum.sum(out, icmp, icmpLength)));
        return headerLength + icmpLength;
    }

    private static boolean mayAnswer(IpPacket offending, boolean packetTooBig) {
        if (offending.isP2pControl() || isIcmpError(offending)) {
            return false;
        }
        if (offending.isIpv4()) {
            Ipv4Header header = offending.ipv4();
            return isUnicastIpv4(header.source()) && isUnicastIpv4(header.destination());
        }
        Ipv6Header header = offending.ipv6();
        boolean sourceUnspecified = header.sourceHigh() == 0 && header.sourceLow() == 0;
        boolean sourceMulticast = header.sourceHigh() >>> 56 == 0xFF;
        boolean destinationMulticast = header.destinationHigh() >>> 56 == 0xFF;
        return !sourceUnspecified && !sourceMulticast && (packetTooBig || !destinationMulticast);
    }

    private static boolean isIcmpError(IpPacket packet) {
        if (packet.isIcmpv4()) {
            return Icmpv4Message.isErrorType(packet.icmpv4().type());
        }
        if (packet.isIcmpv6()) {
            int type = packet.icmpv6().type();
            return Icmpv6Message.isErrorType(type) || type == 137; // 137: redirect, also never answered
        }
        return false;
    }

    /** Not in 0.0.0.0/8, 127.0.0.0/8, multicast 224.0.0.0/4, or the reserved 240.0.0.0/4 that holds broadcast. */
    private static boolean isUnicastIpv4(int address) {
        int firstOctet = address >>> 24;
        return firstOctet != 0 && firstOctet != 127 && firstOctet < 224;
    }

    /** The offset of the next header field that names the protocol nobody handles: the pointer of an ICMPv6 parameter problem. */
    private static int protocolFieldOffset(IpPacket offending) {
        Ipv6Header header = offending.ipv6();
        int count = header.extensionHeaderCount();
        return count == 0 ? 6 : header.extensionHeaderIndex(count - 1) - offending.offset();
    }

    private static void requireNoOverlap(IpPacket offending, ByteBuffer out, int offset, int length) {
        int from = offending.offset();
        if (out == offending.buffer() && offset < from + offending.length() && from < offset + length) {
            throw new IllegalArgumentException("the error must not overlap the offending packet");
        }
    }
}
