package dev.zonewire.wireguard;

import java.time.Instant;
import java.util.Arrays;

/**
 * The 12-byte TAI64N timestamp of a handshake initiation: big-endian seconds plus 2^62 + 10, then
 * big-endian nanoseconds. The responder only compares it with the previous one from the same
 * peer, so it needs to grow, not to be exact TAI; 2^62 + 10 is what wireguard-go and Linux write.
 */
final class Tai64n {
    static final int LENGTH = 12;

    private static final long LABEL = 0x400000000000000aL;
    /**
     * The nanoseconds are rounded down to 2^24 ns (about 16 ms) so that the timestamp does not
     * reveal the sender's clock precisely; 16 ms is shorter than the 20 ms a responder enforces
     * between initiations anyway.
     */
    private static final int WHITENER_MASK = (1 << 24) - 1;

    static byte[] encode(Instant time) {
        byte[] out = new byte[LENGTH];
        long seconds = LABEL + time.getEpochSecond();
        int nanos = time.getNano() & ~WHITENER_MASK;
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (seconds >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
        return out;
    }

    /** True when {@code candidate} is strictly later than {@code previous} (unsigned byte order). */
    static boolean isAfter(byte[] candidate, byte[] previous) {
        return Arrays.compareUnsigned(candidate, previous) > 0;
    }

    private Tai64n() {}
}
