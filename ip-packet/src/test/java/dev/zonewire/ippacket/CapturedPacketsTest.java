package dev.zonewire.ippacket;

import static dev.zonewire.ippacket.TestPackets.parse;
import static dev.zonewire.ippacket.TestPackets.v4;
import static dev.zonewire.ippacket.TestPackets.v6;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Packets the Linux kernel produced parse into the fields tcpdump shows for them, and their checksums verify. */
class CapturedPacketsTest {

    @Test
    void everyCapturedPacketIsValidAndItsChecksumsVerify() {
        for (String hex : CapturedPackets.ALL) {
            IpPacket packet = parse(hex);

            assertThat(packet.verifyChecksums()).as(hex).isEqualTo(PacketStatus.VALID);
        }
    }

    @Test
    void anIpv4PingExposesItsEchoIdentifierAndSequence() {
        IpPacket packet = parse(CapturedPackets.PING4);

        assertThat(packet.source()).isEqualTo(v4("10.199.0.1"));
        assertThat(packet.destination()).isEqualTo(v4("10.199.0.2"));
        assertThat(packet.ipv4().ttl()).isEqualTo(64);
        assertThat(packet.ipv4().dontFragment()).isTrue();
        assertThat(packet.ipv4().identification()).isEqualTo(0x320d);
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.ICMP_ECHO);
        assertThat(packet.icmpv4().isEchoRequest()).isTrue();
        assertThat(packet.icmpv4().identifier()).isEqualTo(0x4783);
        assertThat(packet.icmpv4().sequence()).isEqualTo(1);
        assertThat(packet.sourcePort()).isEqualTo(0x4783);
        assertThat(packet.icmpv4().bodyLength()).isEqualTo(16);
    }

    @Test
    void theRecordRouteOptionOfPingDashRIsWalked() {
        IpPacket packet = parse(CapturedPackets.PING4_RECORD_ROUTE);

        assertThat(packet.headerLength()).isEqualTo(60);
        assertThat(packet.ipv4().optionsLength()).isEqualTo(40);
        assertThat(packet.ipv4().optionCount()).isEqualTo(2);
        assertThat(packet.ipv4().optionType(0)).isEqualTo(Ipv4Header.OPTION_NO_OPERATION);
        assertThat(packet.ipv4().optionLength(0)).isEqualTo(1);
        assertThat(packet.ipv4().optionType(1)).isEqualTo(7);
        assertThat(packet.ipv4().optionLength(1)).isEqualTo(39);
        assertThat(packet.buffer().getInt(packet.ipv4().optionIndex(1) + 3)).isEqualTo(v4("10.199.0.1").bits());
        assertThat(packet.icmpv4().isEchoRequest()).isTrue();
        assertThat(packet.payloadIndex()).isEqualTo(packet.offset() + 60);
    }

    @Test
    void theRouterAlertOptionOfAnIgmpReportIsWalked() {
        IpPacket packet = parse(CapturedPackets.IGMP3_REPORT);

        assertThat(packet.protocol()).isEqualTo(2);
        assertThat(packet.ipv4().optionCount()).isEqualTo(1);
        assertThat(packet.ipv4().optionType(0)).isEqualTo(0x94);
        assertThat(packet.ipv4().optionLength(0)).isEqualTo(4);
        assertThat(packet.ipv4().dscp()).isEqualTo(48);
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.UNSUPPORTED);
    }

    @Test
    void anIpv6PingExposesFlowLabelAndEchoFields() {
        IpPacket packet = parse(CapturedPackets.PING6);

        assertThat(packet.source()).isEqualTo(v6("fd00:199::1"));
        assertThat(packet.destination()).isEqualTo(v6("fd00:199::2"));
        assertThat(packet.ipv6().flowLabel()).isEqualTo(0xd7951);
        assertThat(packet.ipv6().hopLimit()).isEqualTo(64);
        assertThat(packet.icmpv6().isEchoRequest()).isTrue();
        assertThat(packet.icmpv6().identifier()).isEqualTo(0x4844);
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.ICMP_ECHO);
    }

    @Test
    void theHopByHopHeaderOfAnMldReportIsWalkedToTheIcmpv6Message() {
        IpPacket packet = parse(CapturedPackets.MLD2_REPORT);

        assertThat(packet.ipv6().nextHeader()).isEqualTo(Ipv6Header.HOP_BY_HOP);
        assertThat(packet.ipv6().extensionHeaderCount()).isEqualTo(1);
        assertThat(packet.ipv6().extensionHeaderType(0)).isEqualTo(Ipv6Header.HOP_BY_HOP);
        assertThat(packet.ipv6().extensionHeaderLength(0)).isEqualTo(8);
        assertThat(packet.headerLength()).isEqualTo(48);
        assertThat(packet.protocol()).isEqualTo(58);
        assertThat(packet.icmpv6().type()).isEqualTo(143);
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.UNSUPPORTED);
    }

    @Test
    void aUdpDatagramExposesPortsAndPayload() {
        IpPacket packet = parse(CapturedPackets.UDP4);

        assertThat(packet.udp().sourcePort()).isEqualTo(36177);
        assertThat(packet.udp().destinationPort()).isEqualTo(5353);
        assertThat(packet.udp().length()).isEqualTo(23);
        assertThat(payloadText(packet, packet.udp().payloadIndex(), packet.udp().payloadLength())).isEqualTo("hello zonewire\n");
    }

    @Test
    void aTcpSynExposesFlagsOptionsLengthAndWindow() {
        IpPacket packet = parse(CapturedPackets.TCP6_SYN);

        assertThat(packet.tcp().destinationPort()).isEqualTo(8080);
        assertThat(packet.tcp().sequenceNumber()).isEqualTo(0x538f7484L);
        assertThat(packet.tcp().flags()).isEqualTo(TcpHeader.SYN);
        assertThat(packet.tcp().headerLength()).isEqualTo(40);
        assertThat(packet.tcp().window()).isEqualTo(64800);
        assertThat(packet.tcp().payloadLength()).isZero();
    }

    @Test
    void aTcpResetCarriesAckAndRst() {
        IpPacket packet = parse(CapturedPackets.TCP4_RST);

        assertThat(packet.tcp().hasFlags(TcpHeader.RST | TcpHeader.ACK)).isTrue();
        assertThat(packet.tcp().acknowledgmentNumber()).isEqualTo(1001);
        assertThat(packet.ipv4().identification()).isZero();
    }

    @Test
    void anIcmpPortUnreachableQuotesTheDatagramThatCausedIt() {
        IpPacket packet = parse(CapturedPackets.ICMP4_PORT_UNREACHABLE);
        Icmpv4Message icmp = packet.icmpv4();

        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.code()).isEqualTo(Icmpv4Message.PORT_UNREACHABLE);
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.UNSUPPORTED);
        assertThat(icmp.parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        IpPacket quoted = icmp.quotedPacket();
        assertThat(quoted.source()).isEqualTo(v4("10.199.0.2"));
        assertThat(quoted.destination()).isEqualTo(v4("10.199.0.1"));
        assertThat(quoted.udp().sourcePort()).isEqualTo(40000);
        assertThat(quoted.destinationPort()).isEqualTo(9);
        assertThat(quoted.ipv4().identification()).isEqualTo(0x1234);
    }

    @Test
    void anIcmpv6PortUnreachableQuotesTheDatagramThatCausedIt() {
        IpPacket packet = parse(CapturedPackets.ICMP6_PORT_UNREACHABLE);
        Icmpv6Message icmp = packet.icmpv6();

        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.code()).isEqualTo(Icmpv6Message.PORT_UNREACHABLE);
        assertThat(icmp.parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        assertThat(icmp.quotedPacket().source()).isEqualTo(v6("fd00:199::2"));
        assertThat(icmp.quotedPacket().sourcePort()).isEqualTo(40000);
    }

    private static String payloadText(IpPacket packet, int index, int length) {
        return new String(TestPackets.bytes(packet.buffer(), index, length), StandardCharsets.US_ASCII);
    }
}
