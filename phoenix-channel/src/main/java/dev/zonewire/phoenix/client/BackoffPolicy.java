package dev.zonewire.phoenix.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The parameters of the reconnect backoff (spec 2.1, the {@code backoff} crate's defaults) and the
 * per-component limit on how long one outage may last before the channel gives up.
 *
 * @param maxElapsed empty means retry for ever
 */
public record BackoffPolicy(
        Duration initialInterval,
        double multiplier,
        double randomizationFactor,
        Duration maxInterval,
        Optional<Duration> maxElapsed) {

    public static final Duration RELAY_MAX_ELAPSED = Duration.ofMinutes(15);

    public BackoffPolicy {
        if (initialInterval.isNegative() || initialInterval.isZero()) {
            throw new IllegalArgumentException("the initial interval must be positive");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("the multiplier must be at least 1");
        }
        if (randomizationFactor < 0.0 || randomizationFactor >= 1.0) {
            throw new IllegalArgumentException("the randomization factor must be in [0, 1)");
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("the max interval must be at least the initial interval");
        }
        maxElapsed.ifPresent(max -> {
            if (max.isNegative()) {
                throw new IllegalArgumentException("the max elapsed time cannot be negative");
            }
        });
    }

    /** 500 ms, x1.5, +-50 %, 60 s cap, and the given window for one outage. */
    public static BackoffPolicy standard(Optional<Duration> maxElapsed) {
        return new BackoffPolicy(Duration.ofMillis(500), 1.5, 0.5, Duration.ofSeconds(60), maxElapsed);
    }

    /** The relay gives up after 15 minutes of one outage. */
    public static BackoffPolicy relay() {
        return standard(Optional.of(RELAY_MAX_ELAPSED));
    }

    /** The gateway retries for ever. */
    public static BackoffPolicy gateway() {
        return standard(Optional.empty());
    }

    /** The headless client retries for ever unless {@code --max-partition-time} sets a window. */
    public static BackoffPolicy headlessClient(Optional<Duration> maxPartitionTime) {
        return standard(maxPartitionTime);
    }

    public BackoffPolicy withRandomizationFactor(double factor) {
        return new BackoffPolicy(initialInterval, multiplier, factor, maxInterval, maxElapsed);
    }

    public BackoffPolicy withMaxElapsed(Optional<Duration> window) {
        return new BackoffPolicy(initialInterval, multiplier, randomizationFactor, maxInterval, window);
    }
}
