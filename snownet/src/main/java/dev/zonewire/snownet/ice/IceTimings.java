package dev.zonewire.snownet.ice;

import java.time.Duration;

/**
 * How an {@link IceAgent} paces and retransmits its checks.
 *
 * @param maxRetransmits      unanswered checks in a row after which a pair fails
 * @param initialRtoNanos     wait after the first unanswered check; it doubles per further one
 * @param maxRtoNanos         cap of that wait, and the keepalive interval of a working pair
 * @param pacingNanos         Ta: the least time between two checks the agent starts (RFC 8445 section 14)
 */
public record IceTimings(int maxRetransmits, long initialRtoNanos, long maxRtoNanos, long pacingNanos) {

    /** The reference's defaults (8, 250 ms, 1.5 s), paced at 5 ms, the least Ta RFC 8445 allows. */
    public static final IceTimings DEFAULT = new IceTimings(8, millis(250), millis(1500), millis(5));
    /** For idle connections, as in the reference: 4 attempts, 60 s apart. */
    public static final IceTimings IDLE = new IceTimings(4, Duration.ofSeconds(60).toNanos(),
            Duration.ofSeconds(60).toNanos(), millis(5));

    public IceTimings {
        if (maxRetransmits < 1 || initialRtoNanos <= 0 || maxRtoNanos < initialRtoNanos || pacingNanos < 0) {
            throw new IllegalArgumentException("ICE timings must be positive, with maxRto >= initialRto");
        }
    }

    /** The wait after the {@code unanswered}-th unanswered check in a row (1-based). */
    long retransmitDelay(int unanswered) {
        if (unanswered <= 0) {
            return 0;
        }
        int shift = Math.min(unanswered - 1, 30);
        long delay = initialRtoNanos << shift;
        return delay <= 0 || delay > maxRtoNanos ? maxRtoNanos : delay;
    }

    /** How long checks go unanswered before a pair fails: the sum of every retransmit delay. */
    public long failureTimeoutNanos() {
        long total = 0;
        for (int i = 1; i <= maxRetransmits; i++) {
            total += retransmitDelay(i);
        }
        return total;
    }

    private static long millis(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
