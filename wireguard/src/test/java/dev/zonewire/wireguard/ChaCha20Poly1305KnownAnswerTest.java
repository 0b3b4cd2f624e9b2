package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 8439 vectors for the JDK's ChaCha20-Poly1305 and for the counter-nonce wrapper around it. */
class ChaCha20Poly1305KnownAnswerTest {
    private static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
            + " for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final String SUNSCREEN_SEALED = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";

    private static final byte[] A5_KEY = Hex.bytes("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    private static final byte[] A5_ASSOCIATED_DATA = Hex.bytes("f33388860000000000004e91");
    /** The A.5 nonce is 00000000 0102030405060708: a WireGuard-style nonce with this counter. */
    private static final long A5_COUNTER = 0x0807060504030201L;
    private static final byte[] A5_SEALED = Hex.bytes(
            "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
            + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
            + "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
            + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
            + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
            + "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
            + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
            + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
            + "a6ad5cb4022b02709b" + "eead9d67890cbb22392336fea1851f38");
    private static final String A5_PLAINTEXT = "Internet-Drafts are draft documents valid for a maximum of six months"
            + " and may be updated, replaced, or obsoleted by other documents at any time. It is inappropriate to"
            + " use Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d";

    @Test
    void theJdkCipherMatchesRfc8439Section2_8_2() throws Exception {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.ENCRYPT_MODE,
                new SecretKeySpec(Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"), "ChaCha20"),
                new IvParameterSpec(Hex.bytes("070000004041424344454647")));
        cipher.updateAAD(Hex.bytes("50515253c0c1c2c3c4c5c6c7"));

        byte[] sealed = cipher.doFinal(SUNSCREEN);

        assertThat(Hex.of(sealed)).isEqualTo(SUNSCREEN_SEALED);
    }

    @Test
    void openingRfc8439AppendixA5InPlaceYieldsItsPlaintext() {
        byte[] buffer = A5_SEALED.clone();

        int length = new ChaCha20Poly1305(A5_KEY).open(A5_COUNTER, A5_ASSOCIATED_DATA, buffer, 0, buffer.length, buffer, 0);

        assertThat(new String(buffer, 0, length, StandardCharsets.UTF_8)).isEqualTo(A5_PLAINTEXT);
    }

    @Test
    void sealingInPlaceReproducesRfc8439AppendixA5() {
        byte[] plaintext = A5_PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = java.util.Arrays.copyOf(plaintext, plaintext.length + ChaCha20Poly1305.TAG_LENGTH);

        int length = new ChaCha20Poly1305(A5_KEY).seal(A5_COUNTER, A5_ASSOCIATED_DATA, buffer, 0, plaintext.length, buffer, 0);

        assertThat(length).isEqualTo(A5_SEALED.length);
        assertThat(buffer).isEqualTo(A5_SEALED);
    }

    @Test
    void aFlippedBitOrAWrongCounterIsRefusedWithoutWritingPlaintext() {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(A5_KEY);
        byte[] tampered = A5_SEALED.clone();
        tampered[17] ^= 1;
        byte[] output = new byte[A5_SEALED.length];

        assertThat(aead.open(A5_COUNTER, A5_ASSOCIATED_DATA, tampered, 0, tampered.length, output, 0)).isEqualTo(-1);
        assertThat(aead.open(A5_COUNTER + 1, A5_ASSOCIATED_DATA, A5_SEALED, 0, A5_SEALED.length, output, 0)).isEqualTo(-1);
        assertThat(aead.open(A5_COUNTER, A5_ASSOCIATED_DATA, A5_SEALED, 0, 15, output, 0)).isEqualTo(-1);
        assertThat(output).containsOnly(0);
    }

    @Test
    void theSameCipherSealsAndOpensManyCountersInARow() {
        byte[] key = new byte[32];
        key[0] = 7;
        ChaCha20Poly1305 sender = new ChaCha20Poly1305(key);
        ChaCha20Poly1305 receiver = new ChaCha20Poly1305(key);
        byte[] buffer = new byte[64 + ChaCha20Poly1305.TAG_LENGTH];

        for (long counter = 0; counter < 100; counter++) {
            java.util.Arrays.fill(buffer, 0, 64, (byte) counter);
            sender.seal(counter, null, buffer, 0, 64, buffer, 0);
            int opened = receiver.open(counter, null, buffer, 0, buffer.length, buffer, 0);

            assertThat(opened).isEqualTo(64);
            assertThat(java.util.Arrays.copyOf(buffer, 64)).containsOnly((byte) counter);
        }
    }
}
