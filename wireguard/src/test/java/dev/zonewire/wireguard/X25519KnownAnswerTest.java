package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7748 test vectors against the JDK-backed X25519. */
class X25519KnownAnswerTest {
    @Test
    void scalarMultiplicationMatchesRfc7748Section5Vector1() {
        byte[] scalar = Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] u = Hex.bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");

        byte[] result = X25519.sharedSecret(scalar, u);

        assertThat(Hex.of(result)).isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    }

    @Test
    void scalarMultiplicationIgnoresTheTopBitOfTheUCoordinateAsRfc7748Vector2Requires() {
        byte[] scalar = Hex.bytes("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
        byte[] u = Hex.bytes("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");

        byte[] result = X25519.sharedSecret(scalar, u);

        assertThat(Hex.of(result)).isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @Test
    void diffieHellmanMatchesRfc7748Section6() {
        byte[] alicePrivate = Hex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPrivate = Hex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

        byte[] alicePublic = X25519.publicKey(alicePrivate);
        byte[] bobPublic = X25519.publicKey(bobPrivate);

        assertThat(Hex.of(alicePublic)).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(Hex.of(bobPublic)).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(Hex.of(X25519.sharedSecret(alicePrivate, bobPublic))).isEqualTo(shared);
        assertThat(Hex.of(X25519.sharedSecret(bobPrivate, alicePublic))).isEqualTo(shared);
    }

    @Test
    void aSmallOrderPointYieldsNoSharedSecret() {
        byte[] scalar = Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] zeroPoint = new byte[32];
        byte[] pointOfOrderTwo = new byte[32];
        pointOfOrderTwo[0] = 1;

        assertThat(X25519.sharedSecret(scalar, zeroPoint)).isNull();
        assertThat(X25519.sharedSecret(scalar, pointOfOrderTwo)).isNull();
    }
}
