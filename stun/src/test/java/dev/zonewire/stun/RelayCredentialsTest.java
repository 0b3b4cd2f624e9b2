package dev.zonewire.stun;

import dev.zonewire.common.Secret;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RelayCredentialsTest {
    private static final StampSecret SECRET = StampSecret.of(Secret.of("1cab293a-4032-46f4-862a-40e5d174b0d2"));

    @Test
    void usernameWithExactlyTwoPartsAndANumericExpiryParses() {
        assertThat(RelayUsername.parse("1685200000:n23JJ2wKKtt30oXi")).contains(new RelayUsername(1685200000L, "n23JJ2wKKtt30oXi"));
        assertThat(RelayUsername.parse("18446744073709551615:salt")).map(RelayUsername::toString)
                .contains("18446744073709551615:salt");
        assertThat(RelayUsername.parse("5:")).contains(new RelayUsername(5, ""));
    }

    @Test
    void malformedUsernamesDoNotParse() {
        assertThat(RelayUsername.parse("foobar")).isEmpty();
        assertThat(RelayUsername.parse("1:a:b")).isEmpty();
        assertThat(RelayUsername.parse("abc:salt")).isEmpty();
        assertThat(RelayUsername.parse(":salt")).isEmpty();
        assertThat(RelayUsername.parse("-1:salt")).isEmpty();
        assertThat(RelayUsername.parse("18446744073709551616:salt")).isEmpty();
    }

    @Test
    void nonCanonicalExpiryIsRenderedCanonically() {
        assertThat(RelayUsername.parse("0042:salt").orElseThrow().toString()).isEqualTo("42:salt");
    }

    @Test
    void expiryIsInclusive() {
        RelayUsername username = new RelayUsername(1685200000L, "s");

        assertThat(username.isExpiredAt(1685199000_000L)).isFalse();
        assertThat(username.isExpiredAt(1685200000_000L)).isFalse();
        assertThat(username.isExpiredAt(1685200000_001L)).isTrue();
        assertThat(new RelayUsername(-1L, "s").isExpiredAt(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void issuedCredentialsCarryA22CharacterSaltAndTheDerivedPassword() {
        RelayCredentials.Issued issued = RelayCredentials.issue(SECRET, Instant.ofEpochSecond(1735689600L), new Random(7));

        assertThat(issued.username().expiryUnixSeconds()).isEqualTo(1735689600L);
        assertThat(issued.username().salt()).hasSize(22).doesNotContain(":", "=");
        assertThat(issued.password()).isEqualTo(RelayCredentials.password(SECRET, issued.username()));
        assertThat(issued.password().expose()).hasSize(43);
        assertThat(issued.key()).isEqualTo(RelayCredentials.key(SECRET, issued.username()));
    }

    @Test
    void aDifferentSecretGivesADifferentPassword() {
        RelayUsername username = new RelayUsername(1685200000L, "n23JJ2wKKtt30oXi");
        StampSecret other = StampSecret.of(Secret.of("another"));

        assertThat(RelayCredentials.password(other, username)).isNotEqualTo(RelayCredentials.password(SECRET, username));
    }

    @Test
    void generatedSecretIs64LowercaseHexCharacters() {
        StampSecret secret = StampSecret.generate(new Random(1));

        assertThat(secret.text().expose()).matches("[0-9a-f]{64}");
        assertThat(secret.toString()).doesNotContain(secret.text().expose());
    }

    @Test
    void allZeroRandomnessGivesTheReferenceHarnessSecret() {
        StampSecret secret = StampSecret.generate(new ZeroRandom());

        assertThat(secret.text().expose()).isEqualTo("0".repeat(64));
    }

    /** The reference harness's constant-zero generator. */
    static final class ZeroRandom implements java.util.random.RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }
    }
}
