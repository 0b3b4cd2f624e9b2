package dev.zonewire.stun;

import dev.zonewire.common.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Firezone's TURN credentials. The portal (or {@code zonewire relay credentials}) issues
 * username {@code <expiry>:<salt>} and password {@code base64(SHA-256("<expiry>:<secret>:<salt>"))}
 * (standard alphabet, no padding); the relay recomputes the password from the username and its
 * stamp secret, so it keeps no per-user state. Requests are signed with long-term credentials
 * in realm {@value #REALM}.
 */
public final class RelayCredentials {
    public static final String REALM = "firezone";

    private RelayCredentials() {
    }

    /** A username and its password. */
    public record Issued(RelayUsername username, Secret password) {
        public IntegrityKey key() {
            return IntegrityKey.longTerm(username.toString(), REALM, password);
        }
    }

    /** Issues a credential valid until {@code expiry}, with a fresh 16-byte base64url salt. */
    public static Issued issue(StampSecret secret, Instant expiry, RandomGenerator random) {
        byte[] saltBytes = new byte[16];
        random.nextBytes(saltBytes);
        String salt = Base64.getUrlEncoder().withoutPadding().encodeToString(saltBytes);
        RelayUsername username = new RelayUsername(expiry.getEpochSecond(), salt);
        return new Issued(username, password(secret, username));
    }

    public static Secret password(StampSecret secret, RelayUsername username) {
        MessageDigest sha256 = IntegrityKey.digest("SHA-256");
        sha256.update((Long.toUnsignedString(username.expiryUnixSeconds()) + ":").getBytes(StandardCharsets.US_ASCII));
        sha256.update(secret.text().bytes());
        sha256.update((":" + username.salt()).getBytes(StandardCharsets.UTF_8));
        return Secret.of(Base64.getEncoder().withoutPadding().encodeToString(sha256.digest()));
    }

    /** The long-term key the relay verifies and signs with for this username. */
    public static IntegrityKey key(StampSecret secret, RelayUsername username) {
        return IntegrityKey.longTerm(username.toString(), REALM, password(secret, username));
    }
}
