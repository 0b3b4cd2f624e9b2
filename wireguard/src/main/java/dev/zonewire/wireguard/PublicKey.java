package dev.zonewire.wireguard;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/** A Curve25519 public key: a peer's identity. Its text form is WireGuard's 44-character base64. */
public final class PublicKey {
    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses the base64 form used by wg(8) and wg-quick configuration files. */
    public static PublicKey fromBase64(String encoded) {
        return new PublicKey(KeyEncoding.decode(encoded, "public key"));
    }

    public static PublicKey fromBytes(byte[] bytes) {
        return new PublicKey(KeyEncoding.requireKeyLength(bytes, "public key"));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The bytes without a copy, for the protocol code that only reads them. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKey that && MessageDigest.isEqual(bytes, that.bytes);
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
