package dev.zonewire.stun;

import dev.zonewire.common.Secret;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

import static dev.zonewire.stun.Rfc5769VectorsTest.decode;
import static dev.zonewire.stun.Rfc5769VectorsTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** The worked example of spec/relay.md section 3.7: credentials and the byte strings built from them. */
class FirezoneWorkedExampleTest {
    private static final StampSecret SECRET = StampSecret.of(
            Secret.of("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    private static final RelayUsername USERNAME = RelayUsername.parse("1735689600:q1XN3o2ZyYxpL0d9Wm7R4g").orElseThrow();
    private static final IntegrityKey KEY = RelayCredentials.key(SECRET, USERNAME);
    private static final TransactionId ALLOCATE_ID = TransactionId.ofHex("0102030405060708090a0b0c");
    private static final TransactionId BIND_ID = TransactionId.ofHex("0d0e0f101112131415161718");
    private static final String NONCE = "5b1e8f8a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    @Test
    void passwordAndKeyMatchTheExample() {
        assertThat(RelayCredentials.password(SECRET, USERNAME).expose()).isEqualTo("qTV7yWA10wya9vLL3FDV8lpkvkozL1ZZnrbKOBecsOg");
        assertThat(HexFormat.of().formatHex(KEY.secret().bytes())).isEqualTo("3a19929d0ae4f2a172a49ce1c7c3894d");
    }

    @Test
    void referencePasswordVectorsMatch() {
        StampSecret first = StampSecret.of(Secret.of("4c98bf59c99b3e467ecd7cf9d6b3e5279645fca59be67bc5bb4af3cf653761ab"));
        StampSecret second = StampSecret.of(Secret.of("1cab293a-4032-46f4-862a-40e5d174b0d2"));

        assertThat(RelayCredentials.password(first, new RelayUsername(1892160000L, "n23JJ2wKKtt30oXi")).expose())
                .isEqualTo("00hqldgk5xLeKKOB+xls9mHMVtgqzie9DulfgQwMv68");
        assertThat(RelayCredentials.password(second, new RelayUsername(1685984278L, "uvdgKvS9GXYZ_vmv")).expose())
                .isEqualTo("6xUIoZ+QvxKhRasLifwfRkMXl+ETLJUsFkHlXjlHAkg");
    }

    @Test
    void allocateRequestEncodesAndVerifies() {
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE, ALLOCATE_ID)
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.Username(USERNAME.toString()))
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce(NONCE))
                .build();
        String expected = """
                0003007c2112a4420102030405060708090a0b0c
                0019000411000000
                00060021313733353638393630303a7131584e336f325a795978704c306439576d37523467000000
                00140008666972657a6f6e65
                0015002435623165386638612d336334642d346535662d386139622d306331643265336634613562
                000800142ad7fa46f512994fec68193d4bcc92707705b700""";

        byte[] encoded = StunEncoder.encode(request, MessageProtection.integrity(KEY));

        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expected.replaceAll("\\s", ""));
        assertThat(decode(expected).verifyMessageIntegrity(KEY)).isTrue();
        assertThat(decode(expected).message().first(StunAttribute.Nonce.class)).contains(new StunAttribute.Nonce(NONCE));
    }

    @Test
    void allocateSuccessMatchesForSingleAndDualStack() throws Exception {
        var relayed4 = new StunAttribute.XorRelayedAddress(address("203.0.113.7", 49152));
        var relayed6 = new StunAttribute.XorRelayedAddress(address("2001:db8::7", 49152));
        var mapped = new StunAttribute.XorMappedAddress(address("198.51.100.20", 40000));
        var lifetime = new StunAttribute.Lifetime(600);

        byte[] single = StunEncoder.encode(StunMessage.successResponse(StunMethod.ALLOCATE, ALLOCATE_ID)
                .add(relayed4).add(mapped).add(lifetime).build(), MessageProtection.integrity(KEY));
        byte[] dual = StunEncoder.encode(StunMessage.successResponse(StunMethod.ALLOCATE, ALLOCATE_ID)
                .add(relayed4).add(relayed6).add(mapped).add(lifetime).build(), MessageProtection.integrity(KEY));

        assertThat(single).isEqualTo(hex("""
                010300382112a4420102030405060708090a0b0c
                001600080001e112ea12d545
                002000080001bd52e721c056
                000d000400000258
                000800142da74c54c03d6a25a369480e444b5c5636bf93aa"""));
        assertThat(dual).isEqualTo(hex("""
                010300502112a4420102030405060708090a0b0c
                001600080001e112ea12d545
                001600140002e1120113a9fa0102030405060708090a0b0b
                002000080001bd52e721c056
                000d000400000258
                0008001410800bd3d230638de2df58897410ab5e8b9310c3"""));
    }

    @Test
    void errorResponsesMatch() {
        byte[] unauthorized = StunEncoder.encode(StunMessage.errorResponse(StunMethod.ALLOCATE, ALLOCATE_ID, 401)
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce("00000000-0000-0000-0000-000000000000")).build(), MessageProtection.integrity(KEY));
        byte[] mismatch = StunEncoder.encode(StunMessage.errorResponse(StunMethod.ALLOCATE, ALLOCATE_ID, 437).build(),
                MessageProtection.integrity(KEY));
        byte[] stale = StunEncoder.encode(StunMessage.errorResponse(StunMethod.CHANNEL_BIND, BIND_ID, 438)
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce("11111111-2222-3333-4444-555555555555")).build(), MessageProtection.integrity(KEY));

        assertThat(unauthorized).isEqualTo(hex("""
                011300602112a4420102030405060708090a0b0c
                0009001000000401556e617574686f72697a6564
                00140008666972657a6f6e65
                0015002430303030303030302d303030302d303030302d303030302d303030303030303030303030
                00080014cb6cdddfd59509d4a131d46e75d2af0a0714e56b"""));
        assertThat(mismatch).isEqualTo(hex("""
                011300342112a4420102030405060708090a0b0c
                0009001700000425416c6c6f636174696f6e204d69736d6174636800
                0008001464a93bfd4204535061d614305646fd5504380858"""));
        assertThat(stale).isEqualTo(hex("""
                011900602112a4420d0e0f101112131415161718
                0009000f000004265374616c65204e6f6e636500
                00140008666972657a6f6e65
                001500243131313131313131 2d32323232 2d33333333 2d34343434 2d353535353535353535353535
                0008001496ace79d9f86da46185f83d60b544e46e7ebe5cc"""));
    }

    @Test
    void channelBindRequestAndSuccessMatch() throws Exception {
        StunMessage request = StunMessage.request(StunMethod.CHANNEL_BIND, BIND_ID)
                .add(new StunAttribute.XorPeerAddress(address("192.0.2.50", 51820)))
                .add(new StunAttribute.ChannelNumber(0x4000))
                .add(new StunAttribute.Username(USERNAME.toString()))
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce(NONCE))
                .build();

        assertThat(StunEncoder.encode(request, MessageProtection.integrity(KEY))).isEqualTo(hex("""
                000900882112a4420d0e0f101112131415161718
                001200080001eb7ee112a670
                000c000440000000
                00060021313733353638393630303a7131584e336f325a795978704c306439576d37523467000000
                00140008666972657a6f6e65
                0015002435623165386638612d336334642d346535662d386139622d306331643265336634613562
                000800147c21b15d2b7f0e26d117bd87199624f36eb52620"""));
        assertThat(StunEncoder.encode(StunMessage.successResponse(StunMethod.CHANNEL_BIND, BIND_ID).build(),
                MessageProtection.integrity(KEY))).isEqualTo(hex(
                "010900182112a4420d0e0f101112131415161718 00080014d69582b90a5ad0684f5fb04752c1a3017b731743"));
    }

    @Test
    void bindingRequestAndResponseMatch() throws Exception {
        TransactionId id = TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac");

        assertThat(StunEncoder.encode(StunMessage.request(StunMethod.BINDING, id).build()))
                .isEqualTo(hex("000100002112a442a1a2a3a4a5a6a7a8a9aaabac"));
        assertThat(StunEncoder.encode(StunMessage.successResponse(StunMethod.BINDING, id)
                .add(new StunAttribute.XorMappedAddress(address("198.51.100.20", 40000))).build()))
                .isEqualTo(hex("0101000c2112a442a1a2a3a4a5a6a7a8a9aaabac002000080001bd52e721c056"));
    }

    @Test
    void channelDataExampleMatches() {
        assertThat(ChannelData.encode(0x4000, "hello".getBytes(), false)).isEqualTo(hex("400000056865 6c6c6f"));
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }
}
