package dev.zonewire.ippacket;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Sums are carried unfolded in a {@code long}: adding 16-bit words, 32-bit words or halves of
 * 64-bit words gives the same ones'-complement sum once {@link #fold folded}, because 2^16 is 1
 * modulo 2^16 - 1. A checksum field holds {@code ~fold(sum of everything else)}.
 */
public final class Checksum {

    private Checksum() {}

    /** The unfolded sum of {@code length} bytes from {@code index}, as 16-bit big-endian words (an odd last byte padded with zero). */
    public static long sum(ByteBuffer buffer, int index, int length) {
        long sum = 0;
        int i = index;
        int end = index + length;
        for (; end - i >= 8; i += 8) {
            long word = buffer.getLong(i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        if (end - i >= 4) {
            sum += buffer.getInt(i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += buffer.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits with end-around carries; the result is 0 only for a sum of 0. */
    public static int fold(long sum) {
        sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) ((sum & 0xFFFF) + (sum >>> 16));
    }

    /** The checksum field value for data whose other words sum to {@code sum}. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** True when the data, checksum field included, sums to ones'-complement zero (0xFFFF). */
    public static boolean verifies(long sumIncludingChecksum) {
        return fold(sumIncludingChecksum) == 0xFFFF;
    }

    /** The change of a sum when a 16-bit word goes from {@code oldWord} to {@code newWord} (~m + m' of RFC 1624). */
    public static long replaced16(int oldWord, int newWord) {
        return (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    }

    /** The change of a sum when 32 bits (two words) go from {@code oldValue} to {@code newValue}. */
    public static long replaced32(int oldValue, int newValue) {
        return sum32(~oldValue) + sum32(newValue);
    }

    /** The change of a sum when 64 bits (four words) go from {@code oldValue} to {@code newValue}. */
    public static long replaced64(long oldValue, long newValue) {
        return sum64(~oldValue) + sum64(newValue);
    }

    /** The change of a sum when words summing to {@code oldSum} are removed and words summing to {@code newSum} added. */
    public static long replacedSum(long oldSum, long newSum) {
        return (~fold(oldSum) & 0xFFFF) + newSum;
    }

    /**
     * RFC 1624 equation 3, {@code HC' = ~(~HC + ~m + m')}: the checksum after the covered data
     * changed by {@code delta}. An incorrect checksum stays incorrect by the same amount, so
     * corruption that happened before the rewrite is still detected by the receiver.
     *
     * <p>The result is 0x0000 exactly when the covered data sums to ones'-complement zero, as a
     * full computation gives, unless every covered word is zero: then only 0xFFFF verifies. A
     * pseudo-header or an IP header always has a non-zero word; ICMPv4 callers check with
     * {@link #onlyZeros}.
     */
    public static int adjust(int checksum, long delta) {
        return ~fold((~checksum & 0xFFFF) + delta) & 0xFFFF;
    }

    /** True when every byte of the range except the 16-bit field at {@code skippedIndex} is zero. */
    public static boolean onlyZeros(ByteBuffer buffer, int index, int length, int skippedIndex) {
        return sum(buffer, index, length) == (buffer.getShort(skippedIndex) & 0xFFFF);
    }

    static long sum32(int value) {
        return (value >>> 16) + (value & 0xFFFF);
    }

    static long sum64(long value) {
        return (value >>> 32) + (value & 0xFFFF_FFFFL);
    }
}
