package dev.zonewire.wireguard;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The BLAKE2s functions of the protocol, from BouncyCastle: HASH (BLAKE2s-256), MAC (keyed
 * BLAKE2s-128), HMAC (RFC 2104 over BLAKE2s-256) and the HKDF-style KDF built on it.
 */
final class Blake2s {
    static final int HASH_LENGTH = 32;
    static final int MAC_LENGTH = 16;

    /** HASH(part1 ‖ part2 ‖ …). */
    static byte[] hash(byte[]... parts) {
        Blake2sDigest digest = new Blake2sDigest(HASH_LENGTH * 8);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        digest.doFinal(out, 0);
        return out;
    }

    /** h = HASH(h ‖ data[offset, offset+length)), in place: Noise's MixHash. */
    static void mixHash(byte[] h, byte[] data, int offset, int length) {
        Blake2sDigest digest = new Blake2sDigest(HASH_LENGTH * 8);
        digest.update(h, 0, h.length);
        digest.update(data, offset, length);
        digest.doFinal(h, 0);
    }

    static void mixHash(byte[] h, byte[] data) {
        mixHash(h, data, 0, data.length);
    }

    /** MAC(key, data[offset, offset+length)) written to out[outOffset, outOffset+16). */
    static void mac(byte[] key, byte[] data, int offset, int length, byte[] out, int outOffset) {
        Blake2sDigest digest = new Blake2sDigest(key, MAC_LENGTH, null, null);
        digest.update(data, offset, length);
        digest.doFinal(out, outOffset);
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        HMac hmac = new HMac(new Blake2sDigest(HASH_LENGTH * 8));
        hmac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            hmac.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        hmac.doFinal(out, 0);
        return out;
    }

    /**
     * KDF_n(key, input) of the whitepaper: τ0 = HMAC(key, input), τ1 = HMAC(τ0, 0x1),
     * τi = HMAC(τ0, τ(i-1) ‖ i). Returns τ1 … τn.
     */
    static byte[][] kdf(int n, byte[] key, byte[] input) {
        byte[] pseudoRandomKey = hmac(key, input);
        byte[][] outputs = new byte[n][];
        byte[] previous = new byte[0];
        for (int i = 1; i <= n; i++) {
            previous = hmac(pseudoRandomKey, previous, new byte[] {(byte) i});
            outputs[i - 1] = previous;
        }
        Arrays.fill(pseudoRandomKey, (byte) 0);
        return outputs;
    }

    private Blake2s() {}
}
