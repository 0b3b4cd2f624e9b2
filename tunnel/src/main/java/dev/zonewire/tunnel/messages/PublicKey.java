package dev.zonewire.tunnel.messages;

import java.util.Arrays;
import java.util.Base64;

/** A WireGuard (X25519) public key: 32 bytes, written as standard base64 with padding. Not a secret. */
public final class PublicKey {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PublicKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a public key has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    public static PublicKey fromBase64(String text) {
        return of(Base64.getDecoder().decode(text));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKey that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
