package dev.zonewire.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A token, key or password. Its {@link #toString()} never shows the value, so a secret that slips
 * into a log line, an exception message or a metric label stays hidden. Read the value only where
 * the protocol needs it, with {@link #bytes()} or {@link #expose()}.
 */
public final class Secret {
    private static final String REDACTED = "Secret[redacted]";

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    /** A secret holding the UTF-8 bytes of {@code value}. */
    public static Secret of(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a secret cannot be null");
        }
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret holding a copy of {@code value}. */
    public static Secret ofBytes(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("a secret cannot be null");
        }
        return new Secret(value.clone());
    }

    /** A secret decoded from standard or URL-safe base64; the error never repeats the input. */
    public static Secret fromBase64(String encoded) {
        try {
            return new Secret(Base64.getDecoder().decode(encoded.trim()));
        } catch (IllegalArgumentException standardFailed) {
            try {
                return new Secret(Base64.getUrlDecoder().decode(encoded.trim()));
            } catch (IllegalArgumentException urlFailed) {
                throw new IllegalArgumentException("not valid base64 (value hidden)");
            }
        }
    }

    /** A copy of the secret bytes. */
    public byte[] bytes() {
        return value.clone();
    }

    /** The secret as UTF-8 text, for protocols that send it as text (a token in a URL, say). */
    public String expose() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The secret as standard base64, for keys written in WireGuard's text form. */
    public String exposeBase64() {
        return Base64.getEncoder().encodeToString(value);
    }

    public int length() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Overwrites the value; the secret reads as empty bytes of the same length afterwards. */
    public void wipe() {
        Arrays.fill(value, (byte) 0);
    }

    /** Compares in constant time, so that timing does not reveal how much of a guess was right. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && MessageDigest.isEqual(value, that.value);
    }

    /** The same for every secret: a hash of the value would leak information about it. */
    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
