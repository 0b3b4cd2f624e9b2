package dev.zonewire.stun;

import java.nio.charset.StandardCharsets;

/**
 * The value limits both the decoder and the attribute constructors apply, so that every value
 * that decodes can be built and every value that can be built encodes.
 */
final class AttributeRules {
    /** Firezone's relay rejects a USERNAME of 513 bytes or more (RFC 5389's limit). */
    static final int MAX_USERNAME_BYTES = 512;
    /** REALM, NONCE, SOFTWARE and reason phrases: fewer than 128 characters and at most 763 bytes. */
    static final int MAX_TEXT_CHARACTERS = 127;
    static final int MAX_TEXT_BYTES = 763;
    static final int MIN_CHANNEL = 0x4000;
    /** RFC 8656 allows 0x4000-0x4FFF; RFC 5766 allowed up to 0x7FFF, and coturn's client still uses those. */
    static final int MAX_CHANNEL = 0x7FFF;

    private AttributeRules() {
    }

    /** Null when the text is within limits, else the reason it is not. */
    static String checkText(String name, String value, int maxCharacters, int maxBytes) {
        if (value == null) {
            return name + " is missing";
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            return name + " has " + bytes + " bytes, at most " + maxBytes + " allowed";
        }
        if (value.codePointCount(0, value.length()) > maxCharacters) {
            return name + " has more than " + maxCharacters + " characters";
        }
        return null;
    }

    static String checkUsername(String value) {
        return checkText("USERNAME", value, Integer.MAX_VALUE, MAX_USERNAME_BYTES);
    }

    static String checkShortText(String name, String value) {
        return checkText(name, value, MAX_TEXT_CHARACTERS, MAX_TEXT_BYTES);
    }

    static String checkErrorCode(int code) {
        return code >= 300 && code <= 699 ? null : "error code " + code + " is outside 300-699";
    }

    static String checkChannel(int number) {
        return number >= MIN_CHANNEL && number <= MAX_CHANNEL
                ? null
                : String.format("channel number 0x%04X is outside 0x4000-0x7FFF", number);
    }

    static void require(String failure) {
        if (failure != null) {
            throw new IllegalArgumentException(failure);
        }
    }
}
