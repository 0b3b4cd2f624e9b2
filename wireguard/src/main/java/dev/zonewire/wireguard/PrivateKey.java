package dev.zonewire.wireguard;

import dev.zonewire.common.Secret;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** A Curve25519 private key. It is kept in a {@link Secret}, so it never shows in logs. */
public final class PrivateKey {
    private final Secret secret;
    private final PublicKey publicKey;

    private PrivateKey(byte[] scalar) {
        this.secret = Secret.ofBytes(scalar);
        this.publicKey = PublicKey.fromBytes(X25519.publicKey(scalar));
        Arrays.fill(scalar, (byte) 0);
    }

    /**
     * A new key from {@code random}. Outside tests that generator must be a
     * {@link java.security.SecureRandom}.
     */
    public static PrivateKey generate(RandomGenerator random) {
        byte[] scalar = new byte[KeyEncoding.KEY_LENGTH];
        random.nextBytes(scalar);
        clamp(scalar);
        return new PrivateKey(scalar);
    }

    /** Parses the base64 form used by wg(8); errors name the problem, never the value. */
    public static PrivateKey fromBase64(String encoded) {
        return new PrivateKey(KeyEncoding.decode(encoded, "private key"));
    }

    public static PrivateKey fromSecret(Secret secret) {
        return new PrivateKey(KeyEncoding.requireKeyLength(secret.bytes(), "private key"));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The key as a {@link Secret}, e.g. to write it back out in base64 for {@code wg showconf}. */
    public Secret secret() {
        return secret;
    }

    /** A copy of the scalar (X25519 clamps it when used); the caller wipes it after use. */
    byte[] scalar() {
        return secret.bytes();
    }

    /** Clamped as {@code wg genkey} does, so a generated key prints the same in every tool. */
    private static void clamp(byte[] scalar) {
        scalar[0] &= (byte) 248;
        scalar[31] = (byte) ((scalar[31] & 127) | 64);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrivateKey that && secret.equals(that.secret);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted, public " + publicKey + "]";
    }
}
