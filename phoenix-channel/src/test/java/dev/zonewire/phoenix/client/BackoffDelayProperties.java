package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Spec 2.1: every delay lies in the jitter band around its base interval, and the base is capped. */
class BackoffDelayProperties {

    @Property(tries = 200)
    void everyDelayStaysWithinFiftyPercentOfItsBaseIntervalAndTheBaseNeverExceedsSixtySeconds(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int attempts) {
        var backoff = new Backoff(BackoffPolicy.gateway(), new SplittableRandom(seed), 0);
        double base = 0.5e9;
        long now = 0;
        for (int i = 0; i < attempts; i++) {
            long delay = backoff.nextDelayNanos(now);

            assertThat(delay).isBetween((long) (0.5 * base), (long) (1.5 * base) + 1);
            assertThat(delay).isLessThanOrEqualTo(90_000_000_001L);
            now += delay;
            base = Math.min(base * 1.5, 60e9);
        }
    }

    @Property(tries = 100)
    void withoutJitterTheBaseIntervalsAreTheSpecSequence(@ForAll long seed) {
        var backoff = new Backoff(BackoffPolicy.gateway().withRandomizationFactor(0), new SplittableRandom(seed), 0);
        double[] seconds = {0.5, 0.75, 1.125, 1.6875, 2.53125, 3.796875, 5.6953125, 8.54296875, 12.814453125,
                19.2216796875, 28.83251953125, 43.248779296875, 60, 60, 60};

        for (double expected : seconds) {
            assertThat(backoff.nextDelayNanos(0) / 1e9).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Property(tries = 100)
    void aWindowedBackoffNeverReturnsADelayEndingPastItsWindow(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3600) int windowSeconds) {
        var policy = BackoffPolicy.standard(java.util.Optional.of(java.time.Duration.ofSeconds(windowSeconds)));
        var backoff = new Backoff(policy, new SplittableRandom(seed), 0);
        long now = 0;
        long delay;
        while ((delay = backoff.nextDelayNanos(now)) != Backoff.GIVE_UP) {
            now += delay;
            assertThat(now).isLessThanOrEqualTo(windowSeconds * 1_000_000_000L);
        }
    }
}
