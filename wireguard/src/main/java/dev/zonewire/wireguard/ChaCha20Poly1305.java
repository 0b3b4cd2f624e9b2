package dev.zonewire.wireguard;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) under one key, from the JDK, whose intrinsics make it fast. The
 * 96-bit nonce is WireGuard's: 32 zero bits, then a 64-bit little-endian counter.
 *
 * <p>One {@link Cipher} is kept per key and re-initialised per message, and the byte-array calls
 * work in place; this is the least-allocating way javax.crypto offers (see docs/perf.md). Not
 * thread-safe.
 */
final class ChaCha20Poly1305 {
    static final int TAG_LENGTH = 16;
    static final int NONCE_LENGTH = 12;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_LENGTH];

    ChaCha20Poly1305(byte[] key) {
        this.key = new SecretKeySpec(key, "ChaCha20");
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("the JDK has no ChaCha20-Poly1305", missing);
        }
    }

    /** A one-off seal with a fresh key, as the handshake does: returns ciphertext ‖ tag. */
    static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] associatedData) {
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        new ChaCha20Poly1305(key).seal(counter, associatedData, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** A one-off open: the plaintext, or null when authentication fails. */
    static byte[] open(byte[] key, long counter, byte[] sealed, int offset, int length, byte[] associatedData) {
        if (length < TAG_LENGTH) {
            return null;
        }
        byte[] out = new byte[length - TAG_LENGTH];
        int opened = new ChaCha20Poly1305(key).open(counter, associatedData, sealed, offset, length, out, 0);
        return opened < 0 ? null : out;
    }

    /**
     * Encrypts {@code in[inOffset, inOffset+length)} to {@code out[outOffset, outOffset+length+16)};
     * the two ranges may be the same bytes. Returns the sealed length.
     */
    int seal(long counter, byte[] associatedData, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonceFor(counter));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            // Only a bug can get here: a reused nonce, or an output buffer that is too small.
            throw new IllegalStateException("ChaCha20-Poly1305 refused to seal", e);
        }
    }

    /**
     * Decrypts and authenticates {@code in[inOffset, inOffset+length)} (ciphertext ‖ tag) to
     * {@code out[outOffset…)}, which may be the same bytes. Returns the plaintext length, or -1
     * when the tag does not match (or the JDK refuses the input), in which case nothing was written.
     */
    int open(long counter, byte[] associatedData, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        if (length < TAG_LENGTH) {
            return -1;
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nonceFor(counter));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (GeneralSecurityException forgedOrRefused) {
            return -1;
        }
    }

    private IvParameterSpec nonceFor(long counter) {
        Messages.putLong(nonce, 4, counter);
        return new IvParameterSpec(nonce);
    }
}
