package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BLAKE2s, its keyed MAC, the HMAC-based KDF and the Noise constants built on them. */
class Blake2sKnownAnswerTest {
    @Test
    void hashMatchesRfc7693AppendixB() {
        byte[] digest = Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII));

        assertThat(Hex.of(digest)).isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
    }

    /** Keyed BLAKE2s with a 16-byte output; the expected values come from CPython's hashlib.blake2s. */
    @Test
    void macIsKeyedBlake2sWithA128BitOutput() {
        byte[] key32 = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] key16 = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] shortMessage = {1, 2, 3};
        byte[] blockMessage = new byte[64];
        for (int i = 0; i < blockMessage.length; i++) {
            blockMessage[i] = (byte) i;
        }
        byte[] withMacKey = new byte[Blake2s.MAC_LENGTH];
        byte[] withCookieKey = new byte[Blake2s.MAC_LENGTH];

        Blake2s.mac(key32, shortMessage, 0, shortMessage.length, withMacKey, 0);
        Blake2s.mac(key16, blockMessage, 0, blockMessage.length, withCookieKey, 0);

        assertThat(Hex.of(withMacKey)).isEqualTo("8ae9c6b2c9bf730584e0acc82541c250");
        assertThat(Hex.of(withCookieKey)).isEqualTo("dd55c51c98f8ab96ed272882941f0b6a");
    }

    @Test
    void kdfMatchesWireGuardGoVectors() {
        assertKdf("746573742d6b6579", "746573742d696e707574",
                "6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633",
                "df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a",
                "fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24");
        assertKdf("776972656775617264", "776972656775617264",
                "491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8",
                "1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f",
                "31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160");
        assertKdf("", "",
                "8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0",
                "58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e",
                "0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e");
    }

    @Test
    void initialChainingKeyAndHashMatchTheProtocol() {
        assertThat(Hex.of(Noise.INITIAL_CHAINING_KEY))
                .isEqualTo("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36");
        assertThat(Hex.of(Noise.INITIAL_HASH))
                .isEqualTo("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3");
    }

    private static void assertKdf(String key, String input, String t0, String t1, String t2) {
        byte[][] three = Blake2s.kdf(3, Hex.bytes(key), Hex.bytes(input));
        byte[][] one = Blake2s.kdf(1, Hex.bytes(key), Hex.bytes(input));

        assertThat(Hex.of(three[0])).isEqualTo(t0);
        assertThat(Hex.of(three[1])).isEqualTo(t1);
        assertThat(Hex.of(three[2])).isEqualTo(t2);
        assertThat(Hex.of(one[0])).isEqualTo(t0);
    }
}
