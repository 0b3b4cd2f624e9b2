package dev.zonewire.wireguard;

import dev.zonewire.common.Secret;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The optional symmetric key mixed into a peer's handshake (Noise psk2). A peer without one uses
 * {@link #NONE}, 32 zero bytes, exactly as the protocol prescribes.
 */
public final class PresharedKey {
    public static final PresharedKey NONE = new PresharedKey(new byte[KeyEncoding.KEY_LENGTH]);

    private final Secret secret;

    private PresharedKey(byte[] key) {
        this.secret = Secret.ofBytes(key);
        Arrays.fill(key, (byte) 0);
    }

    /** A new random key, as {@code wg genpsk} makes; outside tests {@code random} is a SecureRandom. */
    public static PresharedKey generate(RandomGenerator random) {
        byte[] key = new byte[KeyEncoding.KEY_LENGTH];
        random.nextBytes(key);
        return new PresharedKey(key);
    }

    public static PresharedKey fromBase64(String encoded) {
        return new PresharedKey(KeyEncoding.decode(encoded, "preshared key"));
    }

    public static PresharedKey fromSecret(Secret secret) {
        return new PresharedKey(KeyEncoding.requireKeyLength(secret.bytes(), "preshared key"));
    }

    public Secret secret() {
        return secret;
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** A copy of the key; the caller wipes it after use. */
    byte[] bytes() {
        return secret.bytes();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PresharedKey that && secret.equals(that.secret);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "PresharedKey[redacted]";
    }
}
