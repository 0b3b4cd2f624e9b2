package dev.zonewire.wireguard;

/**
 * The sliding window of received transport counters (RFC 6479): a ring of 128 64-bit blocks, so
 * the 8128 counters below the highest seen are remembered bit by bit. A counter is accepted once;
 * a counter older than the window, or at or beyond REJECT_AFTER_MESSAGES, never. Counters are
 * unsigned 64-bit values held in a long.
 */
final class ReplayWindow {
    private static final int BLOCK_BITS_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BITS_LOG;
    private static final int BLOCKS = 128;
    static final long WINDOW_SIZE = (long) (BLOCKS - 1) * BLOCK_BITS;

    private final long[] ring = new long[BLOCKS];
    private long highest;

    /** Whether {@link #accept} would take this counter; changes nothing, so it can run before decryption. */
    boolean mayAccept(long counter) {
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        if (Long.compareUnsigned(counter, highest) > 0) {
            return true;
        }
        if (Long.compareUnsigned(highest - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        return (ring[blockOf(counter)] & bitOf(counter)) == 0;
    }

    /** Marks the counter as received; false when it was already received or is out of the window. */
    boolean accept(long counter) {
        if (!mayAccept(counter)) {
            return false;
        }
        if (Long.compareUnsigned(counter, highest) > 0) {
            slideTo(counter);
        }
        ring[blockOf(counter)] |= bitOf(counter);
        return true;
    }

    private void slideTo(long counter) {
        long currentBlock = highest >>> BLOCK_BITS_LOG;
        long blocksAhead = Math.min((counter >>> BLOCK_BITS_LOG) - currentBlock, BLOCKS);
        for (long i = 1; i <= blocksAhead; i++) {
            ring[(int) ((currentBlock + i) & (BLOCKS - 1))] = 0;
        }
        highest = counter;
    }

    private static int blockOf(long counter) {
        return (int) ((counter >>> BLOCK_BITS_LOG) & (BLOCKS - 1));
    }

    private static long bitOf(long counter) {
        return 1L << (counter & (BLOCK_BITS - 1));
    }
}
