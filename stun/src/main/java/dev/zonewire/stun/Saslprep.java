package dev.zonewire.stun;

import java.text.Normalizer;

/**
 * The SASLprep profile of stringprep (RFC 4013) as far as STUN long-term passwords need it
 * (RFC 5389 section 15.4): characters "commonly mapped to nothing" are removed, non-ASCII spaces
 * become ASCII spaces, and the result is NFKC-normalised. Control characters are refused.
 */
public final class Saslprep {
    private Saslprep() {
    }

    public static String prepare(String input) {
        StringBuilder mapped = new StringBuilder(input.length());
        input.codePoints().forEach(c -> {
            if (isMappedToNothing(c)) {
                return;
            }
            mapped.appendCodePoint(isNonAsciiSpace(c) ? ' ' : c);
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        normalized.codePoints().forEach(c -> {
            if (Character.getType(c) == Character.CONTROL || c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF)) {
                throw new IllegalArgumentException("SASLprep prohibits character U+" + Integer.toHexString(c).toUpperCase());
            }
        });
        return normalized;
    }

    // RFC 3454 table B.1.
    private static boolean isMappedToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D)
                || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    }

    // RFC 3454 table C.1.2.
    private static boolean isNonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
