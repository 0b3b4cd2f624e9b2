package dev.zonewire.ippacket;

import static dev.zonewire.ippacket.TestPackets.parse;
import static dev.zonewire.ippacket.TestPackets.v4;
import static dev.zonewire.ippacket.TestPackets.v6;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** NAT46 and NAT64 of concrete packets: header fields, ICMP types and codes, quoted packets, refusals. */
class FamilyTranslationTest {

    private static final Ipv6Address CLIENT_V6 = v6("fd00:2021:1111::7");
    private static final Ipv6Address RESOURCE_V6 = v6("2001:db8::80");
    private static final Ipv4Address CLIENT_V4 = v4("100.64.0.7");
    private static final Ipv4Address PROXY_V4 = v4("100.96.0.1");

    @Test
    void anIpv4PingBecomesAnIcmpv6EchoRequestWithTheSameIdentifierAndData() {
        IpPacket packet = parse(CapturedPackets.PING4);

        PacketStatus status = FamilyTranslator.toIpv6(packet, CLIENT_V6, RESOURCE_V6);

        assertThat(status).isEqualTo(PacketStatus.VALID);
        assertThat(packet.offset()).isZero();
        assertThat(packet.length()).isEqualTo(44 + 20);
        assertThat(packet.icmpv6().isEchoRequest()).isTrue();
        assertThat(packet.icmpv6().identifier()).isEqualTo(0x4783);
        assertThat(packet.ipv6().hopLimit()).isEqualTo(64);
        assertThat(packet.source()).isEqualTo(CLIENT_V6);
        assertThat(packet.destination()).isEqualTo(RESOURCE_V6);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anIpv6PingBecomesAnIcmpEchoRequestWithDontFragmentAndIdentificationZero() {
        IpPacket packet = parse(CapturedPackets.PING6);

        PacketStatus status = FamilyTranslator.toIpv4(packet, CLIENT_V4, PROXY_V4);

        assertThat(status).isEqualTo(PacketStatus.VALID);
        assertThat(packet.offset()).isEqualTo(TestPackets.HEADROOM + 20);
        assertThat(packet.icmpv4().isEchoRequest()).isTrue();
        assertThat(packet.ipv4().dontFragment()).isTrue();
        assertThat(packet.ipv4().identification()).isZero();
        assertThat(packet.ipv4().ttl()).isEqualTo(64);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    /** RFC 7915 copies all 8 bits; the reference put the 6-bit DSCP value into the traffic class byte. */
    @Test
    void theWholeTypeOfServiceByteBecomesTheTrafficClass() {
        IpPacket packet = parse(CapturedPackets.ICMP4_PORT_UNREACHABLE);

        FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6);

        assertThat(packet.ipv6().trafficClass()).isEqualTo(0xc0);
    }

    @Test
    void ipv4OptionsAreDroppedSoFortyBytesOfOptionsNeedNoHeadroom() {
        byte[] bytes = HexFormat.of().parseHex(CapturedPackets.PING4_RECORD_ROUTE);
        IpPacket packet = new IpPacket();
        packet.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);

        PacketStatus status = FamilyTranslator.toIpv6(packet, CLIENT_V6, RESOURCE_V6);

        assertThat(status).isEqualTo(PacketStatus.VALID);
        assertThat(packet.offset()).isEqualTo(20);
        assertThat(packet.length()).isEqualTo(bytes.length - 20);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void withoutHeadroomNat46RefusesAndLeavesThePacketAlone() {
        byte[] bytes = HexFormat.of().parseHex(CapturedPackets.UDP4);
        IpPacket packet = new IpPacket();
        packet.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);

        PacketStatus status = FamilyTranslator.toIpv6(packet, CLIENT_V6, RESOURCE_V6);

        assertThat(status).isEqualTo(PacketStatus.NO_HEADROOM);
        assertThat(TestPackets.bytesOf(packet)).isEqualTo(bytes);
    }

    @Test
    void ipv6WithExtensionHeadersIsNotTranslated() {
        IpPacket packet = parse(CapturedPackets.MLD2_REPORT);

        assertThat(FamilyTranslator.toIpv4(packet, CLIENT_V4, PROXY_V4)).isEqualTo(PacketStatus.UNTRANSLATABLE_EXTENSION_HEADERS);
        assertThat(packet.isIpv6()).isTrue();
    }

    @Test
    void neighbourDiscoveryIsDroppedLikeEveryIcmpv6TypeWithoutAnIpv4Counterpart() {
        IpPacket packet = parse(CapturedPackets.ROUTER_SOLICITATION);

        assertThat(FamilyTranslator.toIpv4(packet, CLIENT_V4, PROXY_V4)).isEqualTo(PacketStatus.UNTRANSLATABLE_ICMP);
    }

    @Test
    void aProtocolNumberThatMeansAnExtensionHeaderInIpv6IsNotTranslated() {
        IpPacket packet = parse(CapturedPackets.UDP4);
        packet.buffer().put(packet.offset() + 9, (byte) Ipv6Header.ROUTING);
        packet.wrap(packet.buffer(), packet.offset(), packet.length());

        assertThat(FamilyTranslator.toIpv6(packet, CLIENT_V6, RESOURCE_V6)).isEqualTo(PacketStatus.UNTRANSLATABLE_PROTOCOL);
    }

    @Test
    void aPortUnreachableBecomesAnIcmpv6PortUnreachableQuotingTheTranslatedDatagram() {
        IpPacket packet = parse(CapturedPackets.ICMP4_PORT_UNREACHABLE);

        PacketStatus status = FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6);

        assertThat(status).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().type()).isEqualTo(Icmpv6Message.DESTINATION_UNREACHABLE);
        assertThat(packet.icmpv6().code()).isEqualTo(Icmpv6Message.PORT_UNREACHABLE);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        IpPacket quoted = packet.icmpv6().quotedPacket();
        assertThat(quoted.source()).isEqualTo(CLIENT_V6);
        assertThat(quoted.destination()).isEqualTo(RESOURCE_V6);
        assertThat(quoted.udp().sourcePort()).isEqualTo(40000);
        assertThat(quoted.udp().destinationPort()).isEqualTo(9);
        assertQuoteVerifiesOnItsOwn(quoted);
    }

    @Test
    void anIcmpv6PortUnreachableBecomesAnIcmpPortUnreachableQuotingTheTranslatedDatagram() {
        IpPacket packet = parse(CapturedPackets.ICMP6_PORT_UNREACHABLE);

        PacketStatus status = FamilyTranslator.toIpv4(packet, PROXY_V4, CLIENT_V4);

        assertThat(status).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv4().type()).isEqualTo(Icmpv4Message.DESTINATION_UNREACHABLE);
        assertThat(packet.icmpv4().code()).isEqualTo(Icmpv4Message.PORT_UNREACHABLE);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv4().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        IpPacket quoted = packet.icmpv4().quotedPacket();
        assertThat(quoted.source()).isEqualTo(CLIENT_V4);
        assertThat(quoted.destination()).isEqualTo(PROXY_V4);
        assertThat(quoted.ipv4().dontFragment()).isTrue();
        assertQuoteVerifiesOnItsOwn(quoted);
    }

    @Test
    void fragmentationNeededWithoutAnMtuReportsTheLargestPlateauBelowTheQuotedLength() {
        IpPacket packet = ipv4ErrorAbout(udp4(1400), 548, Icmpv4Message.FRAGMENTATION_NEEDED, 0);

        assertThat(FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.icmpv6().type()).isEqualTo(Icmpv6Message.PACKET_TOO_BIG);
        assertThat(packet.icmpv6().mtu()).isEqualTo(1006);
    }

    @Test
    void fragmentationNeededWithAnMtuReportsItPlusTwentyForTheLongerHeader() {
        IpPacket packet = ipv4ErrorAbout(udp4(1400), 548, Icmpv4Message.FRAGMENTATION_NEEDED, 1300);

        assertThat(FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.icmpv6().mtu()).isEqualTo(1320);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void packetTooBigBecomesFragmentationNeededWithTwentyBytesLess() {
        IpPacket offending = parse(CapturedPackets.TCP6_SYN);
        ByteBuffer buffer = TestPackets.buffer();
        IpPacket packet = new IpPacket();
        packet.wrap(buffer, TestPackets.HEADROOM, IcmpErrors.packetTooBig(offending, 1400, buffer, TestPackets.HEADROOM));

        assertThat(FamilyTranslator.toIpv4(packet, PROXY_V4, CLIENT_V4)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.icmpv4().code()).isEqualTo(Icmpv4Message.FRAGMENTATION_NEEDED);
        assertThat(packet.icmpv4().nextHopMtu()).isEqualTo(1380);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void errorsRfc7915SilentlyDropsAreNotTranslated() {
        assertThat(FamilyTranslator.toIpv6(ipv4ErrorAbout(udp4(100), 100, Icmpv4Message.HOST_PRECEDENCE_VIOLATION, 0), RESOURCE_V6, CLIENT_V6))
                .isEqualTo(PacketStatus.UNTRANSLATABLE_ICMP);
        IpPacket redirect = ipv4ErrorAbout(udp4(100), 100, 0, 0);
        redirect.buffer().put(redirect.payloadIndex(), (byte) Icmpv4Message.REDIRECT);
        redirect.recomputeChecksums();
        assertThat(FamilyTranslator.toIpv6(redirect, RESOURCE_V6, CLIENT_V6)).isEqualTo(PacketStatus.UNTRANSLATABLE_ICMP);
    }

    @Test
    void anErrorQuotingAProtocolThatMeansSomethingElseInIpv6IsNotTranslated() {
        byte[] quotedIcmpv6InIpv4 = udp4(100);
        quotedIcmpv6InIpv4[9] = (byte) 58;
        IpPacket packet = ipv4ErrorAbout(quotedIcmpv6InIpv4, 100, Icmpv4Message.PORT_UNREACHABLE, 0);

        assertThat(FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6)).isEqualTo(PacketStatus.UNTRANSLATABLE_QUOTED_PACKET);
        assertThat(packet.isIpv4()).isTrue();
    }

    @Test
    void aLargeIpv4ErrorIsCutSoTheIcmpv6ErrorFitsTheMinimumMtu() {
        IpPacket packet = ipv4ErrorAbout(udp4(1250), 1250, Icmpv4Message.PORT_UNREACHABLE, 0);
        assertThat(packet.length()).isEqualTo(20 + 8 + 1250);

        assertThat(FamilyTranslator.toIpv6(packet, RESOURCE_V6, CLIENT_V6)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.length()).isEqualTo(IcmpErrors.IPV6_ERROR_MAX_LENGTH);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().quotedPacket().length()).isEqualTo(1250 + 20);
    }

    private static void assertQuoteVerifiesOnItsOwn(IpPacket quoted) {
        IpPacket alone = new IpPacket();
        assertThat(alone.wrap(quoted.buffer(), quoted.offset(), quoted.length())).isEqualTo(PacketStatus.VALID);
        assertThat(alone.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    /** A UDP datagram of {@code length} bytes from 100.64.0.7:5000 to 192.0.2.80:53. */
    private static byte[] udp4(int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        PacketBuilder.udp(buffer, 0, CLIENT_V4, v4("192.0.2.80"), 5000, 53, ByteBuffer.allocate(length - 28));
        return buffer.array();
    }

    /** A destination-unreachable error from router 192.0.2.1 quoting the first {@code quoteLength} bytes of {@code offending}. */
    private static IpPacket ipv4ErrorAbout(byte[] offending, int quoteLength, int code, int nextHopMtu) {
        ByteBuffer buffer = TestPackets.buffer();
        int start = TestPackets.HEADROOM;
        int length = 28 + quoteLength;
        PacketBuilder.writeIpv4Header(buffer, start, 0, length, 64, 1, v4("192.0.2.1").bits(), CLIENT_V4.bits());
        buffer.put(start + 20, (byte) Icmpv4Message.DESTINATION_UNREACHABLE);
        buffer.put(start + 21, (byte) code);
        buffer.putInt(start + 24, nextHopMtu);
        buffer.put(start + 28, offending, 0, quoteLength);
        IpPacket packet = new IpPacket();
        assertThat(packet.wrap(buffer, start, length)).isEqualTo(PacketStatus.VALID);
        packet.recomputeChecksums();
        return packet;
    }
}
