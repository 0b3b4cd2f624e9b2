package dev.zonewire.wireguard;

import java.util.Base64;

/** WireGuard's text form of a key: standard base64 of exactly 32 bytes (44 characters). */
final class KeyEncoding {
    static final int KEY_LENGTH = 32;
    private static final int ENCODED_LENGTH = 44;

    /**
     * Decodes {@code encoded}; {@code what} names the key in the error ("public key"). The message
     * never repeats the input, since a private or preshared key may be mistyped into the wrong field.
     */
    static byte[] decode(String encoded, String what) {
        if (encoded == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String trimmed = encoded.strip();
        if (trimmed.length() != ENCODED_LENGTH || trimmed.charAt(ENCODED_LENGTH - 1) != '=') {
            throw new IllegalArgumentException(what + " must be 44 characters of base64 encoding 32 bytes, got "
                    + trimmed.length() + " characters");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
        if (decoded.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must decode to 32 bytes, got " + decoded.length);
        }
        return decoded;
    }

    static byte[] requireKeyLength(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got "
                    + (key == null ? "none" : key.length));
        }
        return key.clone();
    }

    private KeyEncoding() {}
}
