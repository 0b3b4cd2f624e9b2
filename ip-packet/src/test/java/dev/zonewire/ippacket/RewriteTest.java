package dev.zonewire.ippacket;

import static dev.zonewire.ippacket.TestPackets.parse;
import static dev.zonewire.ippacket.TestPackets.v4;
import static dev.zonewire.ippacket.TestPackets.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Rewrites of captured packets produce the checksums a separate full computation (a few lines of
 * Python, run once by hand) gives for the rewritten bytes.
 */
class RewriteTest {

    @Test
    void rewritingTheDestinationOfATcpSynFixesTheHeaderAndTcpChecksums() {
        IpPacket packet = parse(CapturedPackets.TCP4_SYN);

        packet.setDestination(v4("192.168.1.7"));
        packet.setDestinationPort(80);

        assertThat(packet.ipv4().headerChecksum()).isEqualTo(0x7441);
        assertThat(packet.tcp().checksum()).isEqualTo(0xdbc0);
        assertThat(packet.destination()).isEqualTo(v4("192.168.1.7"));
        assertThat(packet.tcp().destinationPort()).isEqualTo(80);
    }

    @Test
    void rewritingTheSourceOfAnIpv6DatagramFixesTheUdpChecksumOverThePseudoHeader() {
        IpPacket packet = parse(CapturedPackets.UDP6);

        packet.setSource(v6("fd00:2021:1111::5"));
        packet.udp().setSourcePort(53);

        assertThat(packet.udp().checksum()).isEqualTo(0x9d38);
    }

    @Test
    void rewritingAnEchoIdentifierFixesTheIcmpChecksum() {
        IpPacket packet = parse(CapturedPackets.PING4);

        packet.setSourcePort(0x0102);

        assertThat(packet.icmpv4().identifier()).isEqualTo(0x0102);
        assertThat(packet.icmpv4().checksum()).isEqualTo(0x0242);
    }

    @Test
    void anAddressChangeLeavesTheIcmpv4ChecksumAloneBecauseItHasNoPseudoHeader() {
        IpPacket packet = parse(CapturedPackets.PING4);

        packet.setDestination(v4("100.96.0.1"));

        assertThat(packet.icmpv4().checksum()).isEqualTo(0xbbc0);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anEchoWhoseWordsBecomeAllZeroGetsChecksum0xFfffTheOnlyValueThatVerifies() {
        ByteBuffer buffer = ByteBuffer.wrap(HexFormat.of().parseHex("4500001c00004000400100000a0000010a000002" + "0000fffe00010000"));
        IpPacket packet = new IpPacket();
        packet.wrap(buffer, 0, 28);
        packet.recomputeChecksums();

        packet.setSourcePort(0);

        assertThat(packet.icmpv4().checksum()).isEqualTo(0xFFFF);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void aChecksumThatWasWrongBeforeARewriteStaysWrong() {
        IpPacket packet = parse(CapturedPackets.UDP4);
        packet.buffer().put(packet.udp().payloadIndex(), (byte) 'H');

        packet.setDestination(v4("100.96.0.9"));

        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.BAD_UDP_CHECKSUM);
    }

    @Test
    void anAddressOfTheOtherFamilyIsRefused() {
        IpPacket packet = parse(CapturedPackets.UDP4);

        assertThatThrownBy(() -> packet.setDestination(v6("fd00::1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGatewayRestoresTheInsideAddressAndPortInAnIcmpErrorAndItsQuote() {
        IpPacket packet = parse(CapturedPackets.ICMP4_PORT_UNREACHABLE);
        assertThat(packet.icmpv4().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        IpPacket quoted = packet.icmpv4().quotedPacket();

        packet.setSource(v4("100.96.0.1"));
        packet.setDestination(v4("100.64.0.7"));
        quoted.setSource(v4("100.64.0.7"));
        quoted.setDestination(v4("100.96.0.1"));
        quoted.setSourcePort(51000);

        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        IpPacket quoteAlone = new IpPacket();
        assertThat(quoteAlone.wrap(packet.buffer(), quoted.offset(), quoted.length())).isEqualTo(PacketStatus.VALID);
        assertThat(quoteAlone.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(quoteAlone.udp().sourcePort()).isEqualTo(51000);
    }
}
