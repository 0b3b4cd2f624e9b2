package dev.zonewire.stun;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMACs of MESSAGE-INTEGRITY(-SHA256). Both cover the message from its first byte up to the
 * integrity attribute, with the header's length field set as if the message ended right after it.
 */
final class Hmac {
    private Hmac() {
    }

    static byte[] sha1(IntegrityKey key, byte[] message, int coveredLength, int lengthField) {
        return compute("HmacSHA1", key, message, coveredLength, lengthField);
    }

    static byte[] sha256(IntegrityKey key, byte[] message, int coveredLength, int lengthField) {
        return compute("HmacSHA256", key, message, coveredLength, lengthField);
    }

    private static byte[] compute(String algorithm, IntegrityKey key, byte[] message, int coveredLength,
                                  int lengthField) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            byte[] keyBytes = key.bytes();
            // HMAC pads keys with zeros, so an empty key is the same as one zero byte, which the JDK accepts.
            mac.init(new SecretKeySpec(keyBytes.length == 0 ? new byte[1] : keyBytes, algorithm));
            mac.update(message, 0, 2);
            mac.update((byte) (lengthField >>> 8));
            mac.update((byte) lengthField);
            mac.update(message, 4, coveredLength - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute " + algorithm, e);
        }
    }
}
