package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test vectors of draft-irtf-cfrg-xchacha-03 for HChaCha20 and AEAD_XChaCha20_Poly1305. */
class XChaCha20Poly1305KnownAnswerTest {
    private static final byte[] KEY = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] NONCE = Hex.bytes("404142434445464748494a4b4c4d4e4f5051525354555657");
    private static final byte[] ASSOCIATED_DATA = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
            + " for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final String SEALED = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            + "21f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49";

    @Test
    void hChaCha20MatchesSection2_2_1() {
        byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = Hex.bytes("000000090000004a0000000031415927");

        byte[] subkey = XChaCha20Poly1305.hChaCha20(key, nonce);

        assertThat(Hex.of(subkey)).isEqualTo("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
    }

    @Test
    void sealMatchesAppendixA3_1() {
        byte[] sealed = XChaCha20Poly1305.seal(KEY, NONCE, PLAINTEXT, ASSOCIATED_DATA);

        assertThat(Hex.of(sealed)).isEqualTo(SEALED);
    }

    @Test
    void openRecoversAppendixA3_1AndRefusesOtherAssociatedData() {
        byte[] sealed = Hex.bytes(SEALED);

        byte[] opened = XChaCha20Poly1305.open(KEY, NONCE, sealed, 0, sealed.length, ASSOCIATED_DATA);
        byte[] refused = XChaCha20Poly1305.open(KEY, NONCE, sealed, 0, sealed.length, new byte[12]);

        assertThat(opened).isEqualTo(PLAINTEXT);
        assertThat(refused).isNull();
    }
}
