package dev.zonewire.phoenix.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff for one outage, with the arithmetic of the {@code backoff} crate 0.4.0
 * (spec 2.1). It is created at the first failure of an outage, so its elapsed-time window counts
 * from that failure and never from when the connection was made (the bug fixed in 932f6791fb).
 */
final class Backoff {
    /** Returned by {@link #nextDelayNanos} when the outage has lasted too long. */
    static final long GIVE_UP = -1;

    private final BackoffPolicy policy;
    private final RandomGenerator random;
    private final long startNanos;
    private final double maxIntervalNanos;
    private final long maxElapsedNanos;
    private double currentIntervalNanos;

    Backoff(BackoffPolicy policy, RandomGenerator random, long startNanos) {
        this.policy = policy;
        this.random = random;
        this.startNanos = startNanos;
        this.maxIntervalNanos = policy.maxInterval().toNanos();
        this.maxElapsedNanos = policy.maxElapsed().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        this.currentIntervalNanos = policy.initialInterval().toNanos();
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * The next delay, or {@link #GIVE_UP} when the window is spent or the delay would end past it:
     * the last wait never runs beyond the deadline.
     */
    long nextDelayNanos(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed > maxElapsedNanos) {
            return GIVE_UP;
        }
        long delay = randomizedInterval();
        advanceInterval();
        if (elapsed + delay > maxElapsedNanos) {
            return GIVE_UP;
        }
        return delay;
    }

    /** Whether a wait of {@code delayNanos} from now would still end inside the window. */
    boolean fitsInWindow(long nowNanos, long delayNanos) {
        return nowNanos - startNanos + delayNanos <= maxElapsedNanos;
    }

    private long randomizedInterval() {
        double delta = policy.randomizationFactor() * currentIntervalNanos;
        double low = currentIntervalNanos - delta;
        double high = currentIntervalNanos + delta;
        // The crate adds one nanosecond so that both ends of the range can be drawn.
        return (long) (low + random.nextDouble() * (high - low + 1.0));
    }

    private void advanceInterval() {
        if (currentIntervalNanos >= maxIntervalNanos / policy.multiplier()) {
            currentIntervalNanos = maxIntervalNanos;
        } else {
            currentIntervalNanos *= policy.multiplier();
        }
    }
}
