package dev.zonewire.wireguard;

import org.bouncycastle.crypto.engines.ChaChaEngine;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03), which WireGuard uses to encrypt cookies under a
 * random 24-byte nonce. Neither the JDK nor BouncyCastle offers it, so it is assembled as the draft
 * describes: HChaCha20(key, nonce[0..16)) gives a subkey, then the JDK's ChaCha20-Poly1305 runs
 * under that subkey with the nonce 0x00000000 ‖ nonce[16..24).
 */
final class XChaCha20Poly1305 {
    static final int NONCE_LENGTH = 24;

    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    /** Returns ciphertext ‖ tag. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        return ChaCha20Poly1305.seal(hChaCha20(key, nonce), counterOf(nonce), plaintext, associatedData);
    }

    /** The plaintext, or null when authentication fails. */
    static byte[] open(byte[] key, byte[] nonce, byte[] sealed, int offset, int length, byte[] associatedData) {
        return ChaCha20Poly1305.open(hChaCha20(key, nonce), counterOf(nonce), sealed, offset, length, associatedData);
    }

    /**
     * HChaCha20 over the key and the first 16 nonce bytes. BouncyCastle's ChaCha core adds the input
     * state to the permuted state at the end (the feed-forward of a ChaCha block); HChaCha20 wants
     * the permuted state alone, so the input is subtracted again from the words it returns.
     */
    static byte[] hChaCha20(byte[] key, byte[] nonce) {
        int[] state = new int[16];
        System.arraycopy(SIGMA, 0, state, 0, 4);
        for (int i = 0; i < 8; i++) {
            state[4 + i] = Messages.getInt(key, i * 4);
        }
        for (int i = 0; i < 4; i++) {
            state[12 + i] = Messages.getInt(nonce, i * 4);
        }
        int[] block = new int[16];
        ChaChaEngine.chachaCore(20, state, block);
        byte[] subkey = new byte[32];
        for (int i = 0; i < 4; i++) {
            Messages.putInt(subkey, i * 4, block[i] - state[i]);
            Messages.putInt(subkey, 16 + i * 4, block[12 + i] - state[12 + i]);
        }
        return subkey;
    }

    /** The last 8 nonce bytes, read the way ChaCha20Poly1305 writes its counter into the nonce. */
    private static long counterOf(byte[] nonce) {
        return Messages.getLong(nonce, 16);
    }

    private XChaCha20Poly1305() {}
}
