package dev.zonewire.ippacket;

import java.nio.ByteBuffer;

/**
 * NAT46 and NAT64 for the gateway (tunnel.md 4.9 and 5.3): rewrites a packet from one IP version
 * to the other in place, per packet and without state, following the subset of RFC 7915 the
 * reference implements.
 *
 * <ul>
 *   <li>IPv4 to IPv6: the traffic class is the IPv4 type-of-service byte, the flow label 0, the
 *       hop limit the TTL (not decremented). Options are dropped. The header grows, so the packet
 *       moves towards the start of the buffer: it needs {@code 40 - IHL*4} bytes of headroom
 *       ({@link IpPacket#NAT46_HEADROOM} without options).</li>
 *   <li>IPv6 to IPv4: type-of-service is the traffic class, identification 0, don't-fragment set,
 *       TTL the hop limit. Packets with extension headers are not translated. The packet moves 20
 *       bytes towards the end of its old header.</li>
 *   <li>TCP and UDP checksums are adjusted for the new pseudo-header. A UDP checksum of zero
 *       (allowed in IPv4 only) is computed in full for IPv6 (RFC 7915 section 4.5).</li>
 *   <li>ICMP echo becomes ICMPv6 echo and back. ICMP errors get the type and code RFC 7915 gives
 *       them, and the packet they quote is translated too, with the error's addresses swapped
 *       (the quote is the flow the error reports on). Everything RFC 7915 silently drops (and the
 *       parameter problems the reference does not translate) is {@link PacketStatus#UNTRANSLATABLE_ICMP}.</li>
 * </ul>
 *
 * <p>On {@link PacketStatus#VALID} the packet view points at the translated packet: read its new
 * {@link IpPacket#offset()} and {@link IpPacket#length()}. On any other status neither the packet
 * nor the view has changed.
 */
public final class FamilyTranslator {

    /** RFC 1191 section 7, largest first: the MTU to report when an IPv4 router sent none. */
    private static final int[] MTU_PLATEAUS = {65535, 32000, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private FamilyTranslator() {}

    /** NAT46: the IPv4 {@code packet} becomes an IPv6 packet from {@code source} to {@code destination}. */
    public static PacketStatus toIpv6(IpPacket packet, Ipv6Address source, Ipv6Address destination) {
        Ipv4Header header = ownPacket(packet).ipv4();
        if (!carriesOverToIpv6(packet.protocol())) {
            return PacketStatus.UNTRANSLATABLE_PROTOCOL;
        }
        if (packet.isIcmpv4()) {
            Icmpv4Message icmp = packet.icmpv4();
            if (icmp.isError()) {
                return icmpErrorToIpv6(packet, icmp, source, destination);
            }
            if (!icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return PacketStatus.UNTRANSLATABLE_ICMP;
            }
        }
        ByteBuffer buffer = packet.buffer();
        int newStart = packet.payloadIndex() - 40;
        if (newStart < 0) {
            return PacketStatus.NO_HEADROOM;
        }
        int typeOfService = header.typeOfService();
        int ttl = header.ttl();
        int protocol = packet.protocol();
        int payloadLength = packet.payloadLength();
        long newAddresses = PacketBuilder.addressSum(source) + PacketBuilder.addressSum(destination);
        boolean udpWithoutChecksum = packet.isUdp() && packet.udp().checksum() == 0;
        if (packet.isIcmpv4()) {
            echoToIcmpv6(buffer, packet.payloadIndex(), newAddresses + IpPacket.PROTOCOL_ICMPV6 + payloadLength);
        } else {
            long oldAddresses = Checksum.sum(buffer, packet.offset() + 12, 8);
            packet.adjustTransportChecksum(Checksum.replacedSum(oldAddresses, newAddresses), true);
        }
        PacketBuilder.writeIpv6Header(buffer, newStart, typeOfService, payloadLength, toIpv6Protocol(protocol), ttl,
                source.high(), source.low(), destination.high(), destination.low());
        PacketStatus status = packet.rewrapTranslated(newStart, 40 + payloadLength);
        if (status.isValid() && udpWithoutChecksum) {
            packet.recomputeChecksums();
        }
        return status;
    }

    /** NAT64: the IPv6 {@code packet} becomes an IPv4 packet from {@code source} to {@code destination}. */
    public static PacketStatus toIpv4(IpPacket packet, Ipv4Address source, Ipv4Address destination) {
        Ipv6Header header = ownPacket(packet).ipv6();
        if (packet.headerLength() != 40) {
            return PacketStatus.UNTRANSLATABLE_EXTENSION_HEADERS;
        }
        if (!carriesOverToIpv4(packet.protocol())) {
            return PacketStatus.UNTRANSLATABLE_PROTOCOL;
        }
        if (packet.isIcmpv6()) {
            Icmpv6Message icmp = packet.icmpv6();
            if (icmp.isError()) {
                return icmpErrorToIpv4(packet, icmp, source, destination);
            }
            if (!icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return PacketStatus.UNTRANSLATABLE_ICMP;
            }
        }
        int payloadLength = packet.payloadLength();
        if (payloadLength + 20 > IpPacket.MAX_LENGTH) {
            return PacketStatus.TOO_LONG;
        }
        ByteBuffer buffer = packet.buffer();
        int trafficClass = header.trafficClass();
        int hopLimit = header.hopLimit();
        int protocol = packet.protocol();
        long oldAddresses = Checksum.sum(buffer, packet.offset() + 8, 32);
        if (packet.isIcmpv6()) {
            echoToIcmpv4(buffer, packet.payloadIndex(), payloadLength, oldAddresses + IpPacket.PROTOCOL_ICMPV6 + payloadLength);
        } else {
            long newAddresses = Checksum.sum32(source.bits()) + Checksum.sum32(destination.bits());
            packet.adjustTransportChecksum(Checksum.replacedSum(oldAddresses, newAddresses), true);
        }
        int newStart = packet.offset() + 20;
        PacketBuilder.writeIpv4Header(buffer, newStart, trafficClass, payloadLength + 20, hopLimit, toIpv4Protocol(protocol),
                source.bits(), destination.bits());
        return packet.rewrapTranslated(newStart, payloadLength + 20);
    }

    // ---- ICMP errors ----------------------------------------------------------------------------

    /** A translated ICMP header. */
    private record IcmpHeader(int type, int code, int restOfHeader) {}

    /*
     * Layout before and after, with the ICMP header staying where it is:
     *   [IPv4 h][ICMP 8][quoted IPv4 ih][quoted transport]
     *   [IPv6 40][ICMPv6 8][quoted IPv6 40][quoted transport, moved right by 40 - ih, cut to fit]
     */
    private static PacketStatus icmpErrorToIpv6(IpPacket packet, Icmpv4Message icmp, Ipv6Address source,
                                                Ipv6Address destination) {
        if (!icmp.parseQuotedPacket().isValid() || !icmp.quotedPacket().isIpv4()) {
            return PacketStatus.UNTRANSLATABLE_QUOTED_PACKET;
        }
        IpPacket quoted = icmp.quotedPacket();
        IcmpHeader translated = errorToIcmpv6(icmp.type(), icmp.code(), icmp.nextHopMtu(), quoted.length());
        if (translated == null) {
            return PacketStatus.UNTRANSLATABLE_ICMP;
        }
        if ((quoted.isIcmpv4() && quoted.flowProtocol() != FlowProtocol.ICMP_ECHO) || !carriesOverToIpv6(quoted.protocol())) {
            return PacketStatus.UNTRANSLATABLE_QUOTED_PACKET;
        }
        ByteBuffer buffer = packet.buffer();
        int icmpIndex = packet.payloadIndex();
        int newStart = icmpIndex - 40;
        int quotedIndex = icmpIndex + 8;
        int quotedTransport = quoted.payloadIndex();
        int newQuotedTransport = quotedIndex + 40;
        int present = packet.offset() + packet.length() - quotedTransport;
        int kept = Math.min(present, Math.min(IcmpErrors.IPV6_ERROR_MAX_LENGTH - 88, buffer.limit() - newQuotedTransport));
        if (newStart < 0 || kept < Math.min(present, 8)) {
            return PacketStatus.NO_HEADROOM;
        }

        Ipv4Header quotedHeader = quoted.ipv4();
        int quotedTypeOfService = quotedHeader.typeOfService();
        int quotedTtl = quotedHeader.ttl();
        int quotedProtocol = quoted.protocol();
        int quotedPayloadLength = quoted.payloadLength();
        long quotedNewAddresses = PacketBuilder.addressSum(destination) + PacketBuilder.addressSum(source);
        if (quoted.isIcmpv4()) {
            echoToIcmpv6(buffer, quotedTransport, quotedNewAddresses + IpPacket.PROTOCOL_ICMPV6 + quotedPayloadLength);
        } else {
            long quotedOldAddresses = Checksum.sum(buffer, quoted.offset() + 12, 8);
            // the error's own checksum is computed afresh below, so this change need not reach it
            quoted.adjustTransportChecksum(Checksum.replacedSum(quotedOldAddresses, quotedNewAddresses), true);
        }
        int typeOfService = packet.ipv4().typeOfService();
        int ttl = packet.ipv4().ttl();

        buffer.put(newQuotedTransport, buffer, quotedTransport, kept);
        PacketBuilder.writeIpv6Header(buffer, quotedIndex, quotedTypeOfService, quotedPayloadLength,
                toIpv6Protocol(quotedProtocol), quotedTtl,
                destination.high(), destination.low(), source.high(), source.low());
        int icmpLength = 8 + 40 + kept;
        PacketBuilder.writeIpv6Header(buffer, newStart, typeOfService, icmpLength, IpPacket.PROTOCOL_ICMPV6, ttl,
                source.high(), source.low(), destination.high(), destination.low());
        long pseudoHeader = PacketBuilder.addressSum(source) + PacketBuilder.addressSum(destination)
                + IpPacket.PROTOCOL_ICMPV6 + icmpLength;
        writeIcmpHeader(buffer, icmpIndex, translated, pseudoHeader, icmpLength);
        return packet.rewrapTranslated(newStart, 40 + icmpLength);
    }

    /*
     *   [IPv6 40][ICMPv6 8][quoted IPv6 40][quoted transport]
     *   [IPv4 20][ICMP 8][quoted IPv4 20][quoted transport, moved left by 20]
     */
    private static PacketStatus icmpErrorToIpv4(IpPacket packet, Icmpv6Message icmp, Ipv4Address source,
                                                Ipv4Address destination) {
        if (!icmp.parseQuotedPacket().isValid() || !icmp.quotedPacket().isIpv6()
                || icmp.quotedPacket().headerLength() != 40) {
            return PacketStatus.UNTRANSLATABLE_QUOTED_PACKET;
        }
        IpPacket quoted = icmp.quotedPacket();
        IcmpHeader translated = errorToIcmpv4(icmp.type(), icmp.code(), icmp.mtu());
        if (translated == null) {
            return PacketStatus.UNTRANSLATABLE_ICMP;
        }
        if ((quoted.isIcmpv6() && quoted.flowProtocol() != FlowProtocol.ICMP_ECHO) || !carriesOverToIpv4(quoted.protocol())
                || quoted.payloadLength() + 20 > IpPacket.MAX_LENGTH) {
            return PacketStatus.UNTRANSLATABLE_QUOTED_PACKET;
        }
        ByteBuffer buffer = packet.buffer();
        int newStart = packet.offset() + 20;
        int icmpIndex = packet.payloadIndex();
        int quotedIndex = icmpIndex + 8;
        int quotedTransport = quotedIndex + 40;
        int present = packet.offset() + packet.length() - quotedTransport;

        Ipv6Header quotedHeader = quoted.ipv6();
        int quotedTrafficClass = quotedHeader.trafficClass();
        int quotedHopLimit = quotedHeader.hopLimit();
        int quotedProtocol = quoted.protocol();
        int quotedPayloadLength = quoted.payloadLength();
        long quotedOldAddresses = Checksum.sum(buffer, quoted.offset() + 8, 32);
        if (quoted.isIcmpv6()) {
            echoToIcmpv4(buffer, quotedTransport, present, quotedOldAddresses + IpPacket.PROTOCOL_ICMPV6 + quotedPayloadLength);
        } else {
            long quotedNewAddresses = Checksum.sum32(destination.bits()) + Checksum.sum32(source.bits());
            // the error's own checksum is computed afresh below, so this change need not reach it
            quoted.adjustTransportChecksum(Checksum.replacedSum(quotedOldAddresses, quotedNewAddresses), true);
        }
        int trafficClass = packet.ipv6().trafficClass();
        int hopLimit = packet.ipv6().hopLimit();

        buffer.put(quotedIndex + 20, buffer, quotedTransport, present);
        PacketBuilder.writeIpv4Header(buffer, quotedIndex, quotedTrafficClass, quotedPayloadLength + 20, quotedHopLimit,
                toIpv4Protocol(quotedProtocol), destination.bits(), source.bits());
        int icmpLength = 8 + 20 + present;
        PacketBuilder.writeIpv4Header(buffer, newStart, trafficClass, 20 + icmpLength, hopLimit, IpPacket.PROTOCOL_ICMP,
                source.bits(), destination.bits());
        writeIcmpHeader(buffer, icmpIndex, translated, 0, icmpLength);
        return packet.rewrapTranslated(newStart, 20 + icmpLength);
    }

    /** RFC 7915 section 4.2, as the reference maps it, except that a known next-hop MTU is kept (plus 20) instead of dropping the error. */
    private static IcmpHeader errorToIcmpv6(int type, int code, int nextHopMtu, int quotedTotalLength) {
        if (type == Icmpv4Message.TIME_EXCEEDED) {
            return code <= 1 ? new IcmpHeader(Icmpv6Message.TIME_EXCEEDED, code, 0) : null;
        }
        if (type != Icmpv4Message.DESTINATION_UNREACHABLE) {
            return null;
        }
        return switch (code) {
            case Icmpv4Message.NET_UNREACHABLE, Icmpv4Message.HOST_UNREACHABLE, Icmpv4Message.SOURCE_ROUTE_FAILED,
                 Icmpv4Message.NET_UNKNOWN, Icmpv4Message.HOST_UNKNOWN, Icmpv4Message.SOURCE_HOST_ISOLATED,
                 Icmpv4Message.NET_UNREACHABLE_FOR_TOS, Icmpv4Message.HOST_UNREACHABLE_FOR_TOS ->
                    new IcmpHeader(Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.NO_ROUTE, 0);
            case Icmpv4Message.PROTOCOL_UNREACHABLE ->
                    // the pointer names the next header field of the (translated) quoted header
                    new IcmpHeader(Icmpv6Message.PARAMETER_PROBLEM, Icmpv6Message.UNRECOGNIZED_NEXT_HEADER, 6);
            case Icmpv4Message.PORT_UNREACHABLE ->
                    new IcmpHeader(Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.PORT_UNREACHABLE, 0);
            case Icmpv4Message.FRAGMENTATION_NEEDED -> packetTooBig(nextHopMtu, quotedTotalLength);
            case Icmpv4Message.NET_PROHIBITED, Icmpv4Message.HOST_PROHIBITED, Icmpv4Message.COMMUNICATION_PROHIBITED,
                 Icmpv4Message.PRECEDENCE_CUTOFF ->
                    new IcmpHeader(Icmpv6Message.DESTINATION_UNREACHABLE, Icmpv6Message.ADMINISTRATIVELY_PROHIBITED, 0);
            default -> null;
        };
    }

    private static IcmpHeader packetTooBig(int nextHopMtu, int quotedTotalLength) {
        if (nextHopMtu != 0) {
            return new IcmpHeader(Icmpv6Message.PACKET_TOO_BIG, 0, nextHopMtu + 20);
        }
        for (int plateau : MTU_PLATEAUS) {
            if (plateau < quotedTotalLength) {
                return new IcmpHeader(Icmpv6Message.PACKET_TOO_BIG, 0, plateau);
            }
        }
        return null;
    }

    /** RFC 7915 section 5.2, as the reference maps it, except that packet-too-big becomes fragmentation-needed instead of being dropped. */
    private static IcmpHeader errorToIcmpv4(int type, int code, long mtu) {
        return switch (type) {
            case Icmpv6Message.DESTINATION_UNREACHABLE -> switch (code) {
                case Icmpv6Message.NO_ROUTE, Icmpv6Message.BEYOND_SCOPE, Icmpv6Message.ADDRESS_UNREACHABLE ->
                        new IcmpHeader(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.HOST_UNREACHABLE, 0);
                case Icmpv6Message.ADMINISTRATIVELY_PROHIBITED ->
                        new IcmpHeader(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.HOST_PROHIBITED, 0);
                case Icmpv6Message.PORT_UNREACHABLE ->
                        new IcmpHeader(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.PORT_UNREACHABLE, 0);
                default -> null;
            };
            case Icmpv6Message.PACKET_TOO_BIG -> mtu < 20 + 68
                    ? null
                    : new IcmpHeader(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.FRAGMENTATION_NEEDED,
                            (int) Math.min(mtu - 20, 0xFFFF));
            case Icmpv6Message.TIME_EXCEEDED -> code <= 1 ? new IcmpHeader(Icmpv4Message.TIME_EXCEEDED, code, 0) : null;
            case Icmpv6Message.PARAMETER_PROBLEM -> code == Icmpv6Message.UNRECOGNIZED_NEXT_HEADER
                    ? new IcmpHeader(Icmpv4Message.DESTINATION_UNREACHABLE, Icmpv4Message.PROTOCOL_UNREACHABLE, 0)
                    : null;
            default -> null;
        };
    }

    private static void writeIcmpHeader(ByteBuffer buffer, int index, IcmpHeader header, long pseudoHeader, int length) {
        buffer.put(index, (byte) header.type());
        buffer.put(index + 1, (byte) header.code());
        buffer.putShort(index + 2, (short) 0);
        buffer.putInt(index + 4, header.restOfHeader());
        buffer.putShort(index + 2, (short) Checksum.finish(pseudoHeader + Checksum.sum(buffer, index, length)));
    }

    // ---- echo ---------------------------------------------------------------------------------

    /** Echo request 8 becomes 128 and reply 0 becomes 129; the checksum gains the ICMPv6 pseudo-header. */
    private static void echoToIcmpv6(ByteBuffer buffer, int index, long pseudoHeader) {
        int type = buffer.get(index) & 0xFF;
        int translated = type == Icmpv4Message.ECHO_REQUEST ? Icmpv6Message.ECHO_REQUEST : Icmpv6Message.ECHO_REPLY;
        retypeEcho(buffer, index, translated, pseudoHeader);
    }

    /**
     * Echo request 128 becomes 8 and reply 129 becomes 0; the checksum loses the ICMPv6
     * pseudo-header. {@code present} bytes of the message are in the buffer.
     */
    private static void echoToIcmpv4(ByteBuffer buffer, int index, int present, long pseudoHeader) {
        int type = buffer.get(index) & 0xFF;
        int translated = type == Icmpv6Message.ECHO_REQUEST ? Icmpv4Message.ECHO_REQUEST : Icmpv4Message.ECHO_REPLY;
        retypeEcho(buffer, index, translated, Checksum.replacedSum(pseudoHeader, 0));
        if (buffer.getShort(index + 2) == 0 && Checksum.onlyZeros(buffer, index, present, index + 2)) {
            buffer.putShort(index + 2, (short) 0xFFFF); // see Checksum.adjust
        }
    }

    private static void retypeEcho(ByteBuffer buffer, int index, int newType, long checksumDelta) {
        int oldWord = buffer.getShort(index) & 0xFFFF;
        int newWord = newType << 8 | (oldWord & 0xFF);
        buffer.putShort(index, (short) newWord);
        int checksum = buffer.getShort(index + 2) & 0xFFFF;
        buffer.putShort(index + 2, (short) Checksum.adjust(checksum, Checksum.replaced16(oldWord, newWord) + checksumDelta));
    }

    /** Not ICMPv6 and not a number IPv6 reads as an extension header. */
    private static boolean carriesOverToIpv6(int protocol) {
        return protocol != IpPacket.PROTOCOL_ICMPV6 && !Ipv6Header.isExtensionHeader(protocol);
    }

    /** Not ICMPv4, which has no place in IPv6. */
    private static boolean carriesOverToIpv4(int protocol) {
        return protocol != IpPacket.PROTOCOL_ICMP;
    }

    private static int toIpv6Protocol(int protocol) {
        return protocol == IpPacket.PROTOCOL_ICMP ? IpPacket.PROTOCOL_ICMPV6 : protocol;
    }

    private static int toIpv4Protocol(int protocol) {
        return protocol == IpPacket.PROTOCOL_ICMPV6 ? IpPacket.PROTOCOL_ICMP : protocol;
    }

    private static IpPacket ownPacket(IpPacket packet) {
        if (packet.isQuote()) {
            throw new IllegalStateException("a quoted packet is translated with the ICMP error that holds it");
        }
        return packet;
    }
}
