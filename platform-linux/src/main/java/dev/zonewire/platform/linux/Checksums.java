package dev.zonewire.platform.linux;

import dev.zonewire.ippacket.Checksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over native memory, for the segments this module cuts out of
 * the kernel's offloaded super-packets and for the headers of the ones it coalesces.
 */
final class Checksums {
    static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Checksums() {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)}, read as big-endian 16-bit words, to the
     * unfolded one's-complement {@code sum}. Sums of up to a few megabytes cannot overflow.
     */
    static long add(MemorySegment data, long offset, long length, long sum) {
        long end = offset + length;
        long i = offset;
        for (; i + 8 <= end; i += 8) {
            long word = data.get(LONG_BE, i);
            sum += (word >>> 32) + (word & 0xffffffffL);
        }
        if (i + 4 <= end) {
            sum += data.get(INT_BE, i) & 0xffffffffL;
            i += 4;
        }
        if (i + 2 <= end) {
            sum += data.get(SHORT_BE, i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (data.get(ValueLayout.JAVA_BYTE, i) & 0xff) << 8;
        }
        return sum;
    }

    /** The sum of the TCP/UDP pseudo-header of the IPv4 or IPv6 packet at offset 0. */
    static long pseudoHeader(MemorySegment packet, boolean ipv4, int protocol, int transportLength) {
        long sum = ipv4 ? add(packet, 12, 8, 0) : add(packet, 8, 32, 0);
        return sum + protocol + transportLength;
    }

    /**
     * The checksum field value for a folded-and-complemented sum; zero becomes 0xffff, the way the
     * kernel writes checksums it completes (UDP needs it, and TCP reads both as the same).
     */
    static short complement(long sum) {
        int value = Checksum.finish(sum);
        return (short) (value == 0 ? 0xffff : value);
    }
}
