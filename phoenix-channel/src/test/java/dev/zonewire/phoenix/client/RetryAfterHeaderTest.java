package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** RFC 9110 10.2.3: Retry-After is delay-seconds or an HTTP date; anything else is ignored. */
class RetryAfterHeaderTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void delaySecondsAreRead() {
        assertThat(UpgradeResponseCapture.parseRetryAfter("120", NOW)).contains(Duration.ofSeconds(120));
    }

    @Test
    void anHttpDateIsReadAsTheTimeUntilIt() {
        assertThat(UpgradeResponseCapture.parseRetryAfter("Tue, 24 Nov 2026 12:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(UpgradeResponseCapture.parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void garbageAndNegativeValuesAreIgnored() {
        assertThat(UpgradeResponseCapture.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(UpgradeResponseCapture.parseRetryAfter("-5", NOW)).isEmpty();
        assertThat(UpgradeResponseCapture.parseRetryAfter(null, NOW)).isEmpty();
    }
}
