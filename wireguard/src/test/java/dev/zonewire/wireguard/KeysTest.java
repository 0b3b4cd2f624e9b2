package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.common.Secret;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** WireGuard keys in their base64 text form, and how they stay out of logs. */
class KeysTest {
    @Test
    void aPrivateKeyYieldsThePublicKeyWgPubkeyPrints() {
        PrivateKey key = PrivateKey.fromBase64("mDBFdpa5dL+I6VwD3niMgGWBZcOgJdzJ3+g7eKsTu2c=");

        assertThat(key.publicKey().toBase64()).isEqualTo("6pIEt0MS3eL6gm1PMYH2kFqACK7iq6tzt7cM1JSxfVE=");
    }

    @Test
    void anUnclampedPrivateKeyIsKeptAsGivenAndClampedOnlyWhenUsed() {
        String rfc7748Alice = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";

        PrivateKey key = PrivateKey.fromBase64(rfc7748Alice);

        assertThat(key.secret().exposeBase64()).isEqualTo(rfc7748Alice);
        assertThat(key.publicKey().toBase64()).isEqualTo("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
    }

    @Test
    void aGeneratedPrivateKeyIsClampedAsWgGenkeyDoes() {
        byte[] scalar = PrivateKey.generate(new SplittableRandom(5)).secret().bytes();

        assertThat(scalar[0] & 7).isZero();
        assertThat(scalar[31] & 0xc0).isEqualTo(0x40);
    }

    @Test
    void secretKeysNeverShowTheirValueInText() {
        PrivateKey privateKey = PrivateKey.generate(new SplittableRandom(6));
        PresharedKey presharedKey = PresharedKey.generate(new SplittableRandom(7));

        assertThat(privateKey.toString()).doesNotContain(privateKey.secret().exposeBase64()).contains("redacted");
        assertThat(presharedKey.toString()).doesNotContain(presharedKey.secret().exposeBase64()).contains("redacted");
        assertThat(new PeerConfig(privateKey.publicKey(), presharedKey, null, null).toString())
                .doesNotContain(presharedKey.secret().exposeBase64());
    }

    @Test
    void malformedKeysAreRefusedWithAMessageThatNamesTheProblemButNotTheValue() {
        String tooShort = "mDBFdpa5dL+I6VwD3niMgGWBZcOgJdzJ3+g7eKsTu2c";
        String notBase64 = "mDBFdpa5dL+I6VwD3niMgGWBZcOgJdzJ3+g7eKs!u2c=";
        String urlAlphabet = "mDBFdpa5dL-I6VwD3niMgGWBZcOgJdzJ3-g7eKsTu2c=";

        assertThatThrownBy(() -> PrivateKey.fromBase64(tooShort)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("private key must be 44 characters of base64 encoding 32 bytes, got 43 characters");
        assertThatThrownBy(() -> PresharedKey.fromBase64(notBase64))
                .hasMessage("preshared key is not valid base64").message().doesNotContain(notBase64);
        assertThatThrownBy(() -> PublicKey.fromBase64(urlAlphabet)).hasMessage("public key is not valid base64");
        assertThatThrownBy(() -> PublicKey.fromBase64(null)).hasMessage("public key is missing");
        assertThatThrownBy(() -> PublicKey.fromBase64("A".repeat(42) + "==")).hasMessage("public key must decode to 32 bytes, got 31");
        assertThatThrownBy(() -> PublicKey.fromBytes(new byte[31])).hasMessage("public key must be 32 bytes, got 31");
        assertThatThrownBy(() -> PrivateKey.fromSecret(Secret.ofBytes(new byte[16])))
                .hasMessage("private key must be 32 bytes, got 16");
    }

    @Test
    void surroundingWhitespaceIsIgnoredAsInConfigurationFiles() {
        assertThat(PublicKey.fromBase64("  6pIEt0MS3eL6gm1PMYH2kFqACK7iq6tzt7cM1JSxfVE=\n").toBase64())
                .isEqualTo("6pIEt0MS3eL6gm1PMYH2kFqACK7iq6tzt7cM1JSxfVE=");
    }

    @Test
    void theAbsentPresharedKeyIsThirtyTwoZeroBytes() {
        assertThat(PresharedKey.NONE.secret().bytes()).hasSize(32).containsOnly(0);
        assertThat(PresharedKey.fromBase64("A".repeat(43) + "=").isNone()).isTrue();
    }

    @Property
    void everyKeySurvivesTheRoundTripThroughBase64(@ForAll @Size(32) byte[] bytes) {
        PublicKey key = PublicKey.fromBytes(bytes);

        assertThat(PublicKey.fromBase64(key.toBase64())).isEqualTo(key);
        assertThat(PresharedKey.fromBase64(key.toBase64()).secret().bytes()).isEqualTo(bytes);
    }
}
