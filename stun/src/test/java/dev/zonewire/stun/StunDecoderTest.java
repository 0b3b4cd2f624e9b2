package dev.zonewire.stun;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.zonewire.stun.Rfc5769VectorsTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** How the decoder treats malformed, unusual and hostile datagrams. */
class StunDecoderTest {
    private static final String BINDING = "000100002112a442a1a2a3a4a5a6a7a8a9aaabac";

    @Test
    void headerOnlyBindingRequestDecodes() {
        assertThat(StunDecoder.decode(hex(BINDING))).isInstanceOf(StunDecodeResult.Decoded.class);
    }

    @Test
    void trailingBytesShortDatagramsAndBadCookiesAreMalformed() {
        assertThat(StunDecoder.decode(hex(BINDING + "00000000"))).isInstanceOf(StunDecodeResult.Malformed.class);
        assertThat(StunDecoder.decode(Arrays.copyOf(hex(BINDING), 19))).isInstanceOf(StunDecodeResult.Malformed.class);
        assertThat(StunDecoder.decode(hex("000100002112a443a1a2a3a4a5a6a7a8a9aaabac"))).isInstanceOf(StunDecodeResult.Malformed.class);
        assertThat(StunDecoder.decode(hex("400100002112a442a1a2a3a4a5a6a7a8a9aaabac"))).isInstanceOf(StunDecodeResult.Malformed.class);
        assertThat(StunDecoder.decode(new byte[0])).isInstanceOf(StunDecodeResult.Malformed.class);
    }

    @Test
    void lengthThatIsNotAMultipleOfFourIsMalformed() {
        assertThat(StunDecoder.decode(hex("000100022112a442a1a2a3a4a5a6a7a8a9aaabac0000")))
                .isInstanceOf(StunDecodeResult.Malformed.class);
    }

    @Test
    void attributeOverrunningTheMessageIsMalformed() {
        assertThat(StunDecoder.decode(hex("000100082112a442a1a2a3a4a5a6a7a8a9aaabac 80220008 41424344")))
                .isInstanceOf(StunDecodeResult.Malformed.class);
    }

    @Test
    void channelNumberOutOfRangeIsABadAttributeWithTheMessageIdentity() {
        StunDecodeResult result = StunDecoder.decode(hex("000900082112a442a1a2a3a4a5a6a7a8a9aaabac 000c0004 80000000"));

        assertThat(result).isInstanceOfSatisfying(StunDecodeResult.BadAttribute.class, bad -> {
            assertThat(bad.method()).isEqualTo(StunMethod.CHANNEL_BIND);
            assertThat(bad.messageClass()).isEqualTo(StunMessageClass.REQUEST);
            assertThat(bad.transactionId()).isEqualTo(TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac"));
            assertThat(bad.attributeType()).isEqualTo(StunAttributeType.CHANNEL_NUMBER);
        });
    }

    @Test
    void badFamilyInvalidUtf8AndWrongLengthsAreBadAttributes() {
        assertThat(StunDecoder.decode(hex("000300082112a442a1a2a3a4a5a6a7a8a9aaabac 00170004 03000000")))
                .isInstanceOf(StunDecodeResult.BadAttribute.class);
        assertThat(StunDecoder.decode(hex("000300082112a442a1a2a3a4a5a6a7a8a9aaabac 00060002 c3280000")))
                .isInstanceOf(StunDecodeResult.BadAttribute.class);
        assertThat(StunDecoder.decode(hex("000300082112a442a1a2a3a4a5a6a7a8a9aaabac 000d0002 02580000")))
                .isInstanceOf(StunDecodeResult.BadAttribute.class);
        assertThat(StunDecoder.decode(hex("0003000c2112a442a1a2a3a4a5a6a7a8a9aaabac 00120008 0003e112ea12d545")))
                .isInstanceOf(StunDecodeResult.BadAttribute.class);
    }

    @Test
    void over512ByteUsernameAndOver127CharacterSoftwareAreBadAttributes() {
        StunMessage.Builder message = StunMessage.request(StunMethod.ALLOCATE, TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac"));
        byte[] longUsername = StunEncoder.encode(message.build());
        longUsername = withAttribute(longUsername, StunAttributeType.USERNAME, new byte[513]);
        byte[] longSoftware = withAttribute(StunEncoder.encode(message.build()), StunAttributeType.SOFTWARE, "x".repeat(128).getBytes());

        assertThat(StunDecoder.decode(longUsername)).isInstanceOf(StunDecodeResult.BadAttribute.class);
        assertThat(StunDecoder.decode(longSoftware)).isInstanceOf(StunDecodeResult.BadAttribute.class);
    }

    @Test
    void attributesAfterMessageIntegrityOtherThanFingerprintAreIgnored() {
        byte[] bytes = hex("""
                000100202112a442a1a2a3a4a5a6a7a8a9aaabac
                00080014 0000000000000000000000000000000000000000
                80220004 41424344""");

        StunMessage message = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).message();

        assertThat(message.attributes()).containsExactly(new StunAttribute.MessageIntegrity(new byte[20]));
    }

    @Test
    void whenATypeRepeatsTheFirstOneCounts() {
        byte[] bytes = hex("000400102112a442a1a2a3a4a5a6a7a8a9aaabac 000d0004 00000001 000d0004 00000002");

        StunMessage message = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).message();

        assertThat(message.first(StunAttribute.Lifetime.class)).contains(new StunAttribute.Lifetime(1));
        assertThat(message.all(StunAttribute.Lifetime.class)).hasSize(2);
    }

    @Test
    void unknownAttributesAreKeptAndComprehensionRequiredOnesListed() {
        byte[] bytes = hex("0003000c2112a442a1a2a3a4a5a6a7a8a9aaabac 001a0000 c0010001 07000000");

        ReceivedStunMessage received = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).received();

        assertThat(received.message().attributes()).containsExactly(
                new StunAttribute.Unknown(0x001A, new byte[0]), new StunAttribute.Unknown(0xC001, new byte[]{7}));
        assertThat(received.unknownComprehensionRequired()).isEqualTo(List.of(0x001A));
    }

    @Test
    void str0msFourBytePaddingAfterAnAlignedUsernameDecodesAsAnEmptyAttribute() {
        byte[] bytes = hex("0001000c2112a442a1a2a3a4a5a6a7a8a9aaabac 00060004 61626364 00000000");

        StunMessage message = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).message();

        assertThat(message.first(StunAttribute.Username.class)).contains(new StunAttribute.Username("abcd"));
        assertThat(message.attributes()).contains(new StunAttribute.Unknown(0, new byte[0]));
    }

    @Test
    void paddingContentIsIgnored() {
        byte[] bytes = hex("000100082112a442a1a2a3a4a5a6a7a8a9aaabac 80220001 41ffffff");

        StunMessage message = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).message();

        assertThat(message.first(StunAttribute.Software.class)).contains(new StunAttribute.Software("A"));
    }

    @Test
    void ipv4MappedIpv6AddressKeepsItsFamily() throws Exception {
        var peer = new StunAttribute.XorPeerAddress(new java.net.InetSocketAddress(
                java.net.Inet6Address.getByAddress(null, hex("00000000000000000000ffffc0000201"), -1), 5000));
        StunMessage message = StunMessage.request(StunMethod.CHANNEL_BIND, TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac"))
                .add(peer).build();

        StunMessage decoded = ((StunDecodeResult.Decoded) StunDecoder.decode(StunEncoder.encode(message))).message();

        assertThat(decoded.first(StunAttribute.XorPeerAddress.class).orElseThrow().address().getAddress())
                .isInstanceOf(java.net.Inet6Address.class);
    }

    @Test
    void looksLikeStunChecksTopBitsAndCookie() {
        assertThat(StunDecoder.looksLikeStun(java.nio.ByteBuffer.wrap(hex(BINDING)))).isTrue();
        assertThat(StunDecoder.looksLikeStun(java.nio.ByteBuffer.wrap(hex("40000005 68656c6c6f")))).isFalse();
    }

    private static byte[] withAttribute(byte[] message, int type, byte[] value) {
        int padded = (value.length + 3) & ~3;
        byte[] bytes = Arrays.copyOf(message, message.length + 4 + padded);
        Bytes.putShort(bytes, message.length, type);
        Bytes.putShort(bytes, message.length + 2, value.length);
        System.arraycopy(value, 0, bytes, message.length + 4, value.length);
        Bytes.putShort(bytes, 2, bytes.length - 20);
        return bytes;
    }
}
