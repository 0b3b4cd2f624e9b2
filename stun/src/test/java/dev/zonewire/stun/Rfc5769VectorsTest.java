package dev.zonewire.stun;

import dev.zonewire.common.Secret;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The test vectors of RFC 5769. */
class Rfc5769VectorsTest {
    private static final IntegrityKey SHORT_TERM = IntegrityKey.shortTerm(Secret.of("VOkJxbRl1RmTxUk/WvJxBt"));

    private static final String SAMPLE_REQUEST = """
            000100582112a442b7e7a701bc34d686fa87dfae
            802200105354554e207465737420636c69656e74
            002400046e0001ff
            80290008932ff9b151263b36
            000600096576746a3a68367659202020
            000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
            80280004e57a3bcf""";
    private static final String SAMPLE_IPV4_RESPONSE = """
            0101003c2112a442b7e7a701bc34d686fa87dfae
            8022000b7465737420766563746f7220
            002000080001a147e112a643
            000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7
            80280004c07d4c96""";
    private static final String SAMPLE_IPV6_RESPONSE = """
            010100482112a442b7e7a701bc34d686fa87dfae
            8022000b7465737420766563746f7220
            002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9
            00080014a382954e4be67bf11784c97c8292c275bfe3ed41
            80280004c8fb0b4c""";
    private static final String SAMPLE_LONG_TERM_REQUEST = """
            000100602112a44278ad3433c6ad72c029da412e
            00060012e3839ee38388e383aae38383e382afe382b90000
            0015001c662f2f3439396b39353464364f4c33346f4c394653547679363473 41
            0014000b6578616d706c652e6f726700
            00080014f67024656dd64a3e02b8e0712e85c9a28ca89666""";

    @Test
    void sampleRequestDecodesWithItsAttributesIntegrityAndFingerprint() {
        ReceivedStunMessage received = decode(SAMPLE_REQUEST);
        StunMessage message = received.message();

        assertThat(message.messageClass()).isEqualTo(StunMessageClass.REQUEST);
        assertThat(message.method()).isEqualTo(StunMethod.BINDING);
        assertThat(message.transactionId()).isEqualTo(TransactionId.ofHex("b7e7a701bc34d686fa87dfae"));
        assertThat(message.first(StunAttribute.Software.class)).contains(new StunAttribute.Software("STUN test client"));
        assertThat(message.first(StunAttribute.Priority.class)).contains(new StunAttribute.Priority(0x6e0001ffL));
        assertThat(message.first(StunAttribute.IceControlled.class)).contains(new StunAttribute.IceControlled(0x932ff9b151263b36L));
        assertThat(message.first(StunAttribute.Username.class)).contains(new StunAttribute.Username("evtj:h6vY"));
        assertThat(received.verifyMessageIntegrity(SHORT_TERM)).isTrue();
        assertThat(received.verifyFingerprint()).isTrue();
    }

    @Test
    void sampleIpv4ResponseCarriesTheMappedAddress() throws Exception {
        ReceivedStunMessage received = decode(SAMPLE_IPV4_RESPONSE);

        assertThat(received.message().messageClass()).isEqualTo(StunMessageClass.SUCCESS_RESPONSE);
        assertThat(received.message().first(StunAttribute.XorMappedAddress.class)).contains(
                new StunAttribute.XorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)));
        assertThat(received.verifyMessageIntegrity(SHORT_TERM)).isTrue();
        assertThat(received.verifyFingerprint()).isTrue();
    }

    @Test
    void sampleIpv6ResponseCarriesTheMappedAddress() throws Exception {
        ReceivedStunMessage received = decode(SAMPLE_IPV6_RESPONSE);

        assertThat(received.message().first(StunAttribute.XorMappedAddress.class)).contains(
                new StunAttribute.XorMappedAddress(new InetSocketAddress(
                        InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853)));
        assertThat(received.verifyMessageIntegrity(SHORT_TERM)).isTrue();
        assertThat(received.verifyFingerprint()).isTrue();
    }

    @Test
    void longTermRequestVerifiesWithTheSaslpreppedPassword() {
        ReceivedStunMessage received = decode(SAMPLE_LONG_TERM_REQUEST);
        String password = Saslprep.prepare("The\u00adM\u00aatr\u2168");
        IntegrityKey key = IntegrityKey.longTerm("\u30de\u30c8\u30ea\u30c3\u30af\u30b9", "example.org", Secret.of(password));

        assertThat(password).isEqualTo("TheMatrIX");
        assertThat(received.message().first(StunAttribute.Nonce.class))
                .contains(new StunAttribute.Nonce("f//499k954d6OL34oL9FSTvy64sA"));
        assertThat(received.message().first(StunAttribute.Realm.class)).contains(new StunAttribute.Realm("example.org"));
        assertThat(received.verifyMessageIntegrity(key)).isTrue();
        assertThat(received.hasFingerprint()).isFalse();
    }

    @Test
    void longTermRequestReencodesByteForByte() {
        ReceivedStunMessage received = decode(SAMPLE_LONG_TERM_REQUEST);
        StunMessage withoutIntegrity = received.message().toBuilder().remove(StunAttribute.MessageIntegrity.class).build();
        IntegrityKey key = IntegrityKey.longTerm("\u30de\u30c8\u30ea\u30c3\u30af\u30b9", "example.org", Secret.of("TheMatrIX"));

        byte[] encoded = StunEncoder.encode(withoutIntegrity, MessageProtection.integrity(key));

        assertThat(encoded).isEqualTo(hex(SAMPLE_LONG_TERM_REQUEST));
    }

    @Test
    void sampleRequestReencodedWithZeroPaddingVerifiesAgain() {
        StunMessage original = decode(SAMPLE_REQUEST).message();
        StunMessage bare = original.toBuilder()
                .remove(StunAttribute.MessageIntegrity.class).remove(StunAttribute.Fingerprint.class).build();

        byte[] encoded = StunEncoder.encode(bare, MessageProtection.integrity(SHORT_TERM).withFingerprint());
        ReceivedStunMessage again = decode(HexFormat.of().formatHex(encoded));

        assertThat(encoded).hasSameSizeAs(hex(SAMPLE_REQUEST));
        assertThat(again.verifyMessageIntegrity(SHORT_TERM)).isTrue();
        assertThat(again.verifyFingerprint()).isTrue();
        assertThat(again.message().attributes()).hasSize(original.attributes().size());
        assertThat(again.message().attributes().subList(0, 4)).isEqualTo(original.attributes().subList(0, 4));
    }

    @Test
    void aFlippedBitBreaksIntegrityAndFingerprint() {
        byte[] bytes = hex(SAMPLE_REQUEST);
        bytes[27] ^= 1;

        ReceivedStunMessage received = ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).received();

        assertThat(received.verifyMessageIntegrity(SHORT_TERM)).isFalse();
        assertThat(received.verifyFingerprint()).isFalse();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static ReceivedStunMessage decode(String text) {
        StunDecodeResult result = StunDecoder.decode(hex(text));
        assertThat(result).isInstanceOf(StunDecodeResult.Decoded.class);
        return ((StunDecodeResult.Decoded) result).received();
    }
}
