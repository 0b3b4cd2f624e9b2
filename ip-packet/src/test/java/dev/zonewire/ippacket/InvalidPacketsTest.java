package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Malformed, truncated, oversized and lying packets get a typed reason, never an exception. */
class InvalidPacketsTest {

    private final IpPacket parser = new IpPacket(IpPacket.TUNNEL_MTU);

    @Test
    void noBytesAtAllAreTooShort() {
        assertThat(parse("")).isEqualTo(PacketStatus.TOO_SHORT);
    }

    @Test
    void aPacketLongerThanTheMaximumIsTooLong() {
        byte[] bytes = new byte[IpPacket.TUNNEL_MTU + 1];
        bytes[0] = 0x45;

        assertThat(parser.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(PacketStatus.TOO_LONG);
    }

    @Test
    void aVersionOtherThanFourOrSixIsUnknown() {
        assertThat(parse("5500001c")).isEqualTo(PacketStatus.UNKNOWN_VERSION);
    }

    @Test
    void anIpv4HeaderCutShortIsTooShort() {
        assertThat(parse("4500001c00004000401100000a0000010a0000")).isEqualTo(PacketStatus.TOO_SHORT);
    }

    @Test
    void anIhlBelowFiveIsABadHeaderLength() {
        assertThat(parse(ipv4("44", "001c", "11") + "0000000000000000")).isEqualTo(PacketStatus.BAD_IPV4_HEADER_LENGTH);
    }

    @Test
    void anIhlBeyondTheBytesIsABadHeaderLength() {
        assertThat(parse(ipv4("46", "0018", "11"))).isEqualTo(PacketStatus.BAD_IPV4_HEADER_LENGTH);
    }

    @Test
    void aTotalLengthBelowTheHeaderIsBad() {
        assertThat(parse(ipv4("45", "0010", "11"))).isEqualTo(PacketStatus.BAD_IPV4_TOTAL_LENGTH);
    }

    @Test
    void aTotalLengthClaimingMoreThanTheBytesIsTruncated() {
        assertThat(parse(ipv4("45", "0100", "11") + "0001000200080000")).isEqualTo(PacketStatus.TRUNCATED);
    }

    @Test
    void bytesAfterTheTotalLengthAreIgnoredLikeWireGuardPadding() {
        String packet = ipv4("45", "001c", "11") + "000100020008ffff";

        assertThat(parse(packet + "00000000")).isEqualTo(PacketStatus.VALID);
        assertThat(parser.length()).isEqualTo(28);
    }

    @Test
    void anIpv6PayloadLengthClaimingMoreThanTheBytesIsTruncated() {
        assertThat(parse(ipv6("0010", "11") + "0001000200080000")).isEqualTo(PacketStatus.TRUNCATED);
    }

    @Test
    void anIpv6HeaderCutShortIsTooShort() {
        assertThat(parse(ipv6("0000", "3b").substring(0, 70))).isEqualTo(PacketStatus.TOO_SHORT);
    }

    @Test
    void anIpv4OptionRunningPastTheHeaderIsBad() {
        assertThat(parse(ipv4("46", "0018", "02") + "07080000")).isEqualTo(PacketStatus.BAD_IPV4_OPTIONS);
    }

    @Test
    void anIpv4OptionShorterThanTwoBytesIsBad() {
        assertThat(parse(ipv4("46", "0018", "02") + "07010000")).isEqualTo(PacketStatus.BAD_IPV4_OPTIONS);
    }

    @Test
    void anIpv4FragmentIsRejected() {
        String moreFragments = "4500001c000020004011000000000000000000000001000200080000";
        String laterFragment = "4500001c000000b94011000000000000000000000001000200080000";

        assertThat(parse(moreFragments)).isEqualTo(PacketStatus.FRAGMENT);
        assertThat(parse(laterFragment)).isEqualTo(PacketStatus.FRAGMENT);
    }

    @Test
    void anIpv6FragmentHeaderIsRejected() {
        assertThat(parse(ipv6("0010", "2c") + "1100000100000001" + "0001000200080000")).isEqualTo(PacketStatus.FRAGMENT);
    }

    @Test
    void anExtensionHeaderLongerThanThePayloadIsBad() {
        assertThat(parse(ipv6("0008", "3c") + "1101000000000000")).isEqualTo(PacketStatus.BAD_IPV6_EXTENSION_HEADER);
    }

    @Test
    void hopByHopOptionsAfterAnotherExtensionHeaderAreBad() {
        assertThat(parse(ipv6("0010", "3c") + "0000000000000000" + "3b00000000000000"))
                .isEqualTo(PacketStatus.BAD_IPV6_EXTENSION_HEADER);
    }

    @Test
    void aTcpHeaderShorterThanTwentyBytesIsTruncated() {
        assertThat(parse(ipv4("45", "001e", "06") + "0001000200000000c0de")).isEqualTo(PacketStatus.TCP_TRUNCATED);
    }

    @Test
    void aTcpDataOffsetBelowFiveIsBad() {
        assertThat(parse(ipv4("45", "0028", "06") + "00010002000000000000000040020000" + "00000000"))
                .isEqualTo(PacketStatus.BAD_TCP_HEADER_LENGTH);
    }

    @Test
    void aTcpDataOffsetBeyondThePayloadIsTruncated() {
        assertThat(parse(ipv4("45", "0028", "06") + "000100020000000000000000f0020000" + "00000000"))
                .isEqualTo(PacketStatus.TCP_TRUNCATED);
    }

    @Test
    void aUdpHeaderShorterThanEightBytesIsTruncated() {
        assertThat(parse(ipv4("45", "0018", "11") + "00010002")).isEqualTo(PacketStatus.UDP_TRUNCATED);
    }

    @Test
    void aUdpLengthBeyondTheIpPayloadIsBad() {
        assertThat(parse(ipv4("45", "001c", "11") + "0001000200090000")).isEqualTo(PacketStatus.BAD_UDP_LENGTH);
    }

    @Test
    void aUdpLengthBelowEightIsBad() {
        assertThat(parse(ipv4("45", "001c", "11") + "0001000200070000")).isEqualTo(PacketStatus.BAD_UDP_LENGTH);
    }

    @Test
    void anIcmpMessageShorterThanEightBytesIsTruncated() {
        assertThat(parse(ipv4("45", "0018", "01") + "08000000")).isEqualTo(PacketStatus.ICMP_TRUNCATED);
        assertThat(parse(ipv6("0004", "3a") + "80000000")).isEqualTo(PacketStatus.ICMP_TRUNCATED);
    }

    @Test
    void aP2pControlPacketWithoutItsHeaderIsTruncated() {
        String unspecifiedToUnspecified = "60000000000" + "4ff00" + "0".repeat(64);

        assertThat(parse(unspecifiedToUnspecified + "00000000")).isEqualTo(PacketStatus.P2P_CONTROL_TRUNCATED);
    }

    @Test
    void protocol255BetweenOrdinaryAddressesIsJustAnotherProtocol() {
        assertThat(parse(ipv6("0004", "ff") + "00000000")).isEqualTo(PacketStatus.VALID);
        assertThat(parser.isP2pControl()).isFalse();
    }

    @Test
    void accessorsOfARejectedPacketThrowBecauseReadingThemIsAProgrammingError() {
        parse("5500001c");

        assertThatThrownBy(parser::source).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(parser::tcp).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void askingForTheWrongTransportThrows() {
        parse(CapturedPackets.UDP4);

        assertThatThrownBy(parser::tcp).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(parser::ipv6).isInstanceOf(IllegalStateException.class);
    }

    private PacketStatus parse(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return parser.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    /** An IPv4 header from 10.0.0.1 to 10.0.0.2 with the given first byte, total length and protocol (checksum not set). */
    private static String ipv4(String versionAndIhl, String totalLength, String protocol) {
        return versionAndIhl + "00" + totalLength + "00004000" + "40" + protocol + "0000" + "0a000001" + "0a000002";
    }

    /** An IPv6 header from fd00::1 to fd00::2 with the given payload length and next header. */
    private static String ipv6(String payloadLength, String nextHeader) {
        return "60000000" + payloadLength + nextHeader + "40" + "fd00" + "0".repeat(27) + "1" + "fd00" + "0".repeat(27) + "2";
    }
}
