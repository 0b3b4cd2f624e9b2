package dev.zonewire.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) through the JDK's XDH provider, on raw 32-byte keys as
 * WireGuard carries them. Stateless: the JDK objects are created per call.
 */
final class X25519 {
    private static final byte[] BASE_POINT = new byte[32];

    static {
        BASE_POINT[0] = 9;
    }

    /** The public key of {@code privateKey}: X25519(k, 9). */
    static byte[] publicKey(byte[] privateKey) {
        byte[] result = sharedSecret(privateKey, BASE_POINT);
        if (result == null) {
            throw new IllegalStateException("the base point cannot yield a zero shared secret");
        }
        return result;
    }

    /**
     * X25519(privateKey, publicKey), or null when the peer's point has small order: the result would
     * be all zeros and WireGuard must refuse it.
     */
    static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory keys = KeyFactory.getInstance("XDH");
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey)));
            agreement.doPhase(keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(publicKey))), true);
            return agreement.generateSecret();
        } catch (InvalidKeyException smallOrder) {
            return null;
        } catch (GeneralSecurityException missingProvider) {
            throw new IllegalStateException("the JDK has no X25519 provider", missingProvider);
        }
    }

    /** The u-coordinate of a little-endian point; RFC 7748 section 5 says to ignore the top bit. */
    private static BigInteger u(byte[] littleEndian) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = littleEndian[31 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }

    private X25519() {}
}
