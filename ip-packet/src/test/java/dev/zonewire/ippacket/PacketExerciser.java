package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/**
 * Feeds untrusted bytes through everything a driver may do with them: parse, read every field,
 * verify checksums, rewrite addresses and ports (also inside an ICMP error's quote), build an
 * ICMP error about the packet, translate it to the other IP version. Nothing may throw, and
 * checksums that verified before a rewrite or translation must verify after it.
 */
final class PacketExerciser {

    private static final Ipv4Address NEW_V4 = Ipv4Address.of(100, 96, 0, 1);
    private static final Ipv4Address OTHER_V4 = Ipv4Address.of(100, 64, 0, 7);
    private static final Ipv6Address NEW_V6 = Ipv6Address.parse("fd00:2021:1111:8000::1");
    private static final Ipv6Address OTHER_V6 = Ipv6Address.parse("fd00:2021:1111::7");

    private final IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
    private final IpPacket error = new IpPacket();
    private final ByteBuffer errorBuffer = ByteBuffer.allocate(TestPackets.BUFFER_SIZE);

    void exercise(byte[] data) {
        ByteBuffer buffer = TestPackets.withHeadroom(data);
        PacketStatus status = packet.wrap(buffer, TestPackets.HEADROOM, data.length);
        assertThat(packet.status()).isEqualTo(status);
        if (!status.isValid()) {
            return;
        }
        readEverything(packet);
        PacketStatus checksums = packet.verifyChecksums();

        rewriteQuote();
        rewrite(packet);
        assertStillVerifies(checksums);
        answerWithAnError();
        translate(checksums);
    }

    private void rewriteQuote() {
        if ((!packet.isIcmpv4() && !packet.isIcmpv6()) || !packet.icmp().isError()) {
            return;
        }
        if (packet.icmp().parseQuotedPacket().isValid()) {
            IpPacket quoted = packet.icmp().quotedPacket();
            readEverything(quoted);
            rewrite(quoted);
        }
    }

    private static void rewrite(IpPacket target) {
        target.setSource(target.isIpv4() ? OTHER_V4 : OTHER_V6);
        target.setDestination(target.isIpv4() ? NEW_V4 : NEW_V6);
        if (target.flowProtocol() != FlowProtocol.UNSUPPORTED) {
            target.setSourcePort(51000);
            target.setDestinationPort(443);
        }
    }

    private void assertStillVerifies(PacketStatus before) {
        if (before.isValid()) {
            assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        }
    }

    private void answerWithAnError() {
        int length = IcmpErrors.destinationUnreachable(packet, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, errorBuffer, 0);
        if (length == IcmpErrors.NOT_SENT) {
            return;
        }
        assertThat(error.wrap(errorBuffer, 0, length)).isEqualTo(PacketStatus.VALID);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(error.icmp().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
    }

    private void translate(PacketStatus checksumsBefore) {
        PacketStatus translated = packet.isIpv4()
                ? FamilyTranslator.toIpv6(packet, OTHER_V6, NEW_V6)
                : FamilyTranslator.toIpv4(packet, OTHER_V4, NEW_V4);
        assertThat(packet.status()).isEqualTo(PacketStatus.VALID);
        if (translated.isValid()) {
            readEverything(packet);
            assertStillVerifies(checksumsBefore);
        }
    }

    /** Reads every field and checks that the offsets and lengths the views report hang together. */
    private static void readEverything(IpPacket target) {
        assertThat(target.toString()).startsWith("IpPacket[v");
        assertThat(target.source().version()).isEqualTo(target.version()).isEqualTo(target.destination().version());
        assertThat(target.payloadIndex()).isEqualTo(target.offset() + target.headerLength());
        assertThat(target.payloadLength()).isEqualTo(target.length() - target.headerLength()).isNotNegative();
        if (target.isIpv4()) {
            readIpv4(target);
        } else {
            readIpv6(target);
        }
        if (target.flowProtocol() != FlowProtocol.UNSUPPORTED) {
            assertThat(target.sourcePort()).isBetween(0, 0xFFFF);
            assertThat(target.destinationPort()).isBetween(0, 0xFFFF);
        }
        readTransport(target);
    }

    private static void readIpv4(IpPacket target) {
        Ipv4Header header = target.ipv4();
        assertThat(header.totalLength()).isEqualTo(target.length());
        assertThat(header.optionsLength()).isEqualTo(target.headerLength() - 20).isBetween(0, 40);
        assertThat(header.dscp() << 2 | header.ecn()).isEqualTo(header.typeOfService());
        assertThat(header.identification() | header.ttl() | header.headerChecksum()).isBetween(0, 0xFFFF);
        assertThat(new Ipv4Address(header.source())).isEqualTo(target.source());
        int optionsEnd = target.payloadIndex();
        for (int i = 0; i < header.optionCount(); i++) {
            assertThat(header.optionIndex(i) + header.optionLength(i)).isLessThanOrEqualTo(optionsEnd);
            assertThat(header.optionType(i)).isNotZero();
        }
    }

    private static void readIpv6(IpPacket target) {
        Ipv6Header header = target.ipv6();
        assertThat(header.payloadLength() + 40).isEqualTo(target.length());
        assertThat(header.trafficClass()).isBetween(0, 0xFF);
        assertThat(header.flowLabel()).isBetween(0, 0xF_FFFF);
        assertThat(header.hopLimit()).isBetween(0, 0xFF);
        assertThat(new Ipv6Address(header.destinationHigh(), header.destinationLow())).isEqualTo(target.destination());
        int index = target.offset() + 40;
        for (int i = 0; i < header.extensionHeaderCount(); i++) {
            assertThat(header.extensionHeaderIndex(i)).isEqualTo(index);
            assertThat(header.extensionHeaderType(i)).isNotEqualTo(Ipv6Header.FRAGMENT);
            index += header.extensionHeaderLength(i);
        }
        assertThat(index).isEqualTo(target.payloadIndex());
        if (header.extensionHeaderCount() == 0) {
            assertThat(header.nextHeader()).isEqualTo(target.protocol());
        }
    }

    /** Reads the transport header; of a quote, only the 8 bytes it is guaranteed to hold. */
    private static void readTransport(IpPacket target) {
        int end = target.offset() + target.length();
        if (target.isTcp()) {
            TcpHeader tcp = target.tcp();
            assertThat(tcp.sequenceNumber()).isBetween(0L, 0xFFFF_FFFFL);
            if (!target.isQuote()) {
                assertThat(tcp.headerLength()).isBetween(20, 60);
                assertThat(tcp.payloadIndex() + tcp.payloadLength()).isEqualTo(end);
                assertThat(tcp.acknowledgmentNumber()).isBetween(0L, 0xFFFF_FFFFL);
                assertThat(tcp.flags() | tcp.window() | tcp.checksum() | tcp.urgentPointer()).isBetween(0, 0xFFFF);
            }
        } else if (target.isUdp()) {
            UdpHeader udp = target.udp();
            assertThat(udp.length()).isBetween(8, target.payloadLength());
            assertThat(udp.payloadIndex()).isEqualTo(target.payloadIndex() + 8);
            assertThat(udp.payloadLength()).isEqualTo(udp.length() - 8);
            assertThat(udp.checksum()).isBetween(0, 0xFFFF);
        } else if (target.isIcmpv4() || target.isIcmpv6()) {
            readIcmp(target.icmp(), target);
        } else if (target.isP2pControl()) {
            P2pControlMessage control = target.p2pControl();
            assertThat(control.eventType()).isBetween(0, 0xFF);
            assertThat(control.bodyIndex() + control.bodyLength()).isEqualTo(end);
        }
    }

    private static void readIcmp(IcmpMessage icmp, IpPacket target) {
        assertThat(icmp.bodyIndex()).isEqualTo(target.payloadIndex() + 8);
        assertThat(icmp.bodyLength()).isEqualTo(target.payloadLength() - 8);
        assertThat(icmp.identifier() << 16 | icmp.sequence()).isEqualTo(icmp.restOfHeader());
        assertThat(icmp.isEchoRequest() && icmp.isEchoReply()).isFalse();
        assertThat(target.flowProtocol() == FlowProtocol.ICMP_ECHO).isEqualTo(icmp.isEchoRequest() || icmp.isEchoReply());
        assertThat(icmp.type() | icmp.code() | icmp.checksum()).isBetween(0, 0xFFFF);
        switch (icmp) {
            case Icmpv4Message v4 -> assertThat(v4.nextHopMtu()).isEqualTo(icmp.restOfHeader() & 0xFFFF);
            case Icmpv6Message v6 -> assertThat(v6.mtu()).isEqualTo(v6.pointer()).isEqualTo(icmp.restOfHeader() & 0xFFFF_FFFFL);
        }
    }
}
