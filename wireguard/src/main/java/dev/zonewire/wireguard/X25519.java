package dev.zonewire.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) through the JDK's XDH provider, on raw 32-byte keys as
 * WireGuard carries them. Each thread keeps its own JDK objects: looking the provider up per call
 * costs a tenth of a handshake.
 */
final class X25519 {
    private static final byte[] BASE_POINT = new byte[32];

    static {
        BASE_POINT[0] = 9;
    }

    private record Provider(KeyFactory keys, KeyAgreement agreement) {}

    private static final ThreadLocal<Provider> PROVIDER = ThreadLocal.withInitial(() -> {
        try {
            return new Provider(KeyFactory.getInstance("XDH"), KeyAgreement.getInstance("X25519"));
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("the JDK has no X25519 provider", missing);
        }
    });

    /** The public key of {@code privateKey}: X25519(k, 9). */
    static byte[] publicKey(byte[] privateKey) {
        byte[] result = sharedSecret(privateKey, BASE_POINT);
        if (result == null) {
            throw new IllegalStateException("the base point cannot yield a zero shared secret");
        }
        return result;
    }

    /**
     * X25519(privateKey, publicKey), or null when the peer's point has small order (the result would
     * be all zeros, which WireGuard must refuse) or the provider refuses the key for another reason.
     */
    static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        KeyFactory keys = PROVIDER.get().keys();
        KeyAgreement agreement = PROVIDER.get().agreement();
        try {
            agreement.init(keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey)));
            agreement.doPhase(keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(publicKey))), true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException smallOrderOrUnusable) {
            return null;
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
