package dev.zonewire.ippacket;

import static dev.zonewire.ippacket.TestPackets.parse;
import static dev.zonewire.ippacket.TestPackets.v4;
import static dev.zonewire.ippacket.TestPackets.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Destination-unreachable and packet-too-big errors a gateway sends about packets it will not forward. */
class IcmpErrorsTest {

    private final ByteBuffer out = TestPackets.buffer();
    private final IpPacket error = new IpPacket();

    @Test
    void aDeniedIpv4FlowGetsCommunicationAdministrativelyProhibitedFromItsDestination() {
        IpPacket denied = parse(CapturedPackets.TCP4_SYN);

        int length = IcmpErrors.destinationUnreachable(denied, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, out, 0);

        assertThat(length).isEqualTo(20 + 8 + 60);
        assertThat(error.wrap(out, 0, length)).isEqualTo(PacketStatus.VALID);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(error.source()).isEqualTo(v4("10.199.0.2"));
        assertThat(error.destination()).isEqualTo(v4("10.199.0.1"));
        assertThat(error.icmpv4().type()).isEqualTo(Icmpv4Message.DESTINATION_UNREACHABLE);
        assertThat(error.icmpv4().code()).isEqualTo(Icmpv4Message.COMMUNICATION_PROHIBITED);
        assertThat(TestPackets.bytes(out, error.icmpv4().bodyIndex(), 60)).isEqualTo(TestPackets.bytesOf(denied));
    }

    @Test
    void aDeniedIpv6FlowGetsAdministrativelyProhibited() {
        IpPacket denied = parse(CapturedPackets.TCP6_SYN);

        int length = IcmpErrors.destinationUnreachable(denied, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, out, 0);

        assertThat(error.wrap(out, 0, length)).isEqualTo(PacketStatus.VALID);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(error.source()).isEqualTo(v6("fd00:199::2"));
        assertThat(error.icmpv6().type()).isEqualTo(Icmpv6Message.DESTINATION_UNREACHABLE);
        assertThat(error.icmpv6().code()).isEqualTo(Icmpv6Message.ADMINISTRATIVELY_PROHIBITED);
        assertThat(error.icmpv6().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        assertThat(error.icmpv6().quotedPacket().tcp().destinationPort()).isEqualTo(8080);
    }

    @Test
    void eachReasonHasItsCodeInBothFamilies() {
        assertCodes(IcmpErrors.Unreachable.NO_ROUTE, 3, 0, 1, 0);
        assertCodes(IcmpErrors.Unreachable.HOST_UNREACHABLE, 3, 1, 1, 3);
        assertCodes(IcmpErrors.Unreachable.PROTOCOL_UNREACHABLE, 3, 2, 4, 1);
        assertCodes(IcmpErrors.Unreachable.PORT_UNREACHABLE, 3, 3, 1, 4);
        assertCodes(IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED, 3, 13, 1, 1);
    }

    @Test
    void anIpv4ErrorQuotesAsMuchAsFitsIn576Bytes() {
        IpPacket big = built(1400, v4("100.64.0.7"), v4("192.0.2.80"));

        int length = IcmpErrors.destinationUnreachable(big, IcmpErrors.Unreachable.PORT_UNREACHABLE, out, 0);

        assertThat(length).isEqualTo(IcmpErrors.IPV4_ERROR_MAX_LENGTH);
        assertThat(error.wrap(out, 0, length)).isEqualTo(PacketStatus.VALID);
        assertThat(error.icmpv4().bodyLength()).isEqualTo(548);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anIpv6ErrorQuotesAsMuchAsFitsInTheMinimumMtu() {
        IpPacket big = built(1400, v6("fd00:2021:1111::7"), v6("2001:db8::80"));

        int length = IcmpErrors.destinationUnreachable(big, IcmpErrors.Unreachable.PORT_UNREACHABLE, out, 0);

        assertThat(length).isEqualTo(IcmpErrors.IPV6_ERROR_MAX_LENGTH);
        assertThat(error.wrap(out, 0, length)).isEqualTo(PacketStatus.VALID);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anIpv6ProtocolUnreachablePointsAtTheNextHeaderFieldThatNamedTheProtocol() {
        IpPacket plain = parse(CapturedPackets.UDP6);
        IpPacket withHopByHop = parse(CapturedPackets.MLD2_REPORT.replace(
                "ff020000000000000000000000000016", "fd000199000000000000000000000002"));

        assertThat(pointerOfProtocolUnreachable(plain)).isEqualTo(6);
        assertThat(pointerOfProtocolUnreachable(withHopByHop)).isEqualTo(40);
    }

    @Test
    void packetTooBigCarriesTheMtuInEachFamilysField() {
        int length4 = IcmpErrors.packetTooBig(parse(CapturedPackets.TCP4_SYN), 1280, out, 0);
        assertThat(error.wrap(out, 0, length4)).isEqualTo(PacketStatus.VALID);
        assertThat(error.icmpv4().code()).isEqualTo(Icmpv4Message.FRAGMENTATION_NEEDED);
        assertThat(error.icmpv4().nextHopMtu()).isEqualTo(1280);

        int length6 = IcmpErrors.packetTooBig(parse(CapturedPackets.TCP6_SYN), 1300, out, 0);
        assertThat(error.wrap(out, 0, length6)).isEqualTo(PacketStatus.VALID);
        assertThat(error.icmpv6().type()).isEqualTo(Icmpv6Message.PACKET_TOO_BIG);
        assertThat(error.icmpv6().mtu()).isEqualTo(1300);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void noErrorIsSentAboutAnIcmpError() {
        assertThat(IcmpErrors.destinationUnreachable(parse(CapturedPackets.ICMP4_PORT_UNREACHABLE),
                IcmpErrors.Unreachable.HOST_UNREACHABLE, out, 0)).isEqualTo(IcmpErrors.NOT_SENT);
        assertThat(IcmpErrors.destinationUnreachable(parse(CapturedPackets.ICMP6_PORT_UNREACHABLE),
                IcmpErrors.Unreachable.HOST_UNREACHABLE, out, 0)).isEqualTo(IcmpErrors.NOT_SENT);
    }

    @Test
    void noErrorIsSentAboutMulticastExceptPacketTooBigInIpv6() {
        assertThat(IcmpErrors.destinationUnreachable(parse(CapturedPackets.IGMP3_REPORT),
                IcmpErrors.Unreachable.NO_ROUTE, out, 0)).isEqualTo(IcmpErrors.NOT_SENT);
        assertThat(IcmpErrors.destinationUnreachable(parse(CapturedPackets.MLD2_REPORT),
                IcmpErrors.Unreachable.NO_ROUTE, out, 0)).isEqualTo(IcmpErrors.NOT_SENT);
        assertThat(IcmpErrors.packetTooBig(parse(CapturedPackets.MLD2_REPORT), 1280, out, 0)).isPositive();
    }

    @Test
    void noErrorIsSentToASourceThatNamesNoSingleHost() {
        IpPacket fromUnspecified = built(100, Ipv6Address.UNSPECIFIED, v6("2001:db8::80"));
        IpPacket fromZeroNetwork = built(100, v4("0.0.0.0"), v4("192.0.2.80"));

        assertThat(IcmpErrors.destinationUnreachable(fromUnspecified, IcmpErrors.Unreachable.NO_ROUTE, out, 0))
                .isEqualTo(IcmpErrors.NOT_SENT);
        assertThat(IcmpErrors.destinationUnreachable(fromZeroNetwork, IcmpErrors.Unreachable.NO_ROUTE, out, 0))
                .isEqualTo(IcmpErrors.NOT_SENT);
    }

    @Test
    void noErrorIsSentAboutAP2pControlPacket() {
        ByteBuffer buffer = TestPackets.buffer();
        IpPacket control = new IpPacket();
        control.wrap(buffer, 0, PacketBuilder.p2pControl(buffer, 0, P2pControlMessage.DOMAIN_STATUS, TestPackets.payload("{}")));

        assertThat(IcmpErrors.destinationUnreachable(control, IcmpErrors.Unreachable.NO_ROUTE, out, 0))
                .isEqualTo(IcmpErrors.NOT_SENT);
    }

    @Test
    void anErrorWrittenOverTheOffendingPacketIsRefused() {
        IpPacket denied = parse(CapturedPackets.TCP4_SYN);

        assertThatThrownBy(() -> IcmpErrors.destinationUnreachable(denied, IcmpErrors.Unreachable.NO_ROUTE,
                denied.buffer(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void assertCodes(IcmpErrors.Unreachable reason, int v4Type, int v4Code, int v6Type, int v6Code) {
        error.wrap(out, 0, IcmpErrors.destinationUnreachable(parse(CapturedPackets.UDP4), reason, out, 0));
        assertThat(error.icmp().type()).as(reason + " v4 type").isEqualTo(v4Type);
        assertThat(error.icmp().code()).as(reason + " v4 code").isEqualTo(v4Code);
        error.wrap(out, 0, IcmpErrors.destinationUnreachable(parse(CapturedPackets.UDP6), reason, out, 0));
        assertThat(error.icmp().type()).as(reason + " v6 type").isEqualTo(v6Type);
        assertThat(error.icmp().code()).as(reason + " v6 code").isEqualTo(v6Code);
    }

    private long pointerOfProtocolUnreachable(IpPacket offending) {
        int length = IcmpErrors.destinationUnreachable(offending, IcmpErrors.Unreachable.PROTOCOL_UNREACHABLE, out, 0);
        error.wrap(out, 0, length);
        assertThat(error.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        return error.icmpv6().pointer();
    }

    private static IpPacket built(int length, IpAddress source, IpAddress destination) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        int headers = source instanceof Ipv4Address ? 28 : 48;
        PacketBuilder.udp(buffer, 0, source, destination, 5000, 53, ByteBuffer.allocate(length - headers));
        IpPacket packet = new IpPacket();
        assertThat(packet.wrap(buffer, 0, length)).isEqualTo(PacketStatus.VALID);
        return packet;
    }
}
