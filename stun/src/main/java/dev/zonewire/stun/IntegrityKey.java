package dev.zonewire.stun;

import dev.zonewire.common.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256. Its {@link #toString()} never shows
 * the key.
 */
public final class IntegrityKey {
    private final Secret key;

    private IntegrityKey(Secret key) {
        this.key = key;
    }

    /**
     * Long-term credentials (RFC 8489 section 9.2.2): MD5 of "username:realm:password". The
     * strings are used as given; apply {@link Saslprep#prepare} first where a peer expects it
     * (Firezone does not).
     */
    public static IntegrityKey longTerm(String username, String realm, Secret password) {
        MessageDigest md5 = digest("MD5");
        md5.update((username + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
        md5.update(password.bytes());
        return new IntegrityKey(Secret.ofBytes(md5.digest()));
    }

    /** Short-term credentials (ICE): the password bytes themselves. */
    public static IntegrityKey shortTerm(Secret password) {
        return new IntegrityKey(password);
    }

    /** The raw key, for protocols and tests that need to see it. */
    public Secret secret() {
        return key;
    }

    byte[] bytes() {
        return key.bytes();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IntegrityKey that && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "IntegrityKey[redacted]";
    }
}
