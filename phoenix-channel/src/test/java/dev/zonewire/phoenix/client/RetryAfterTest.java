package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Beyond the reference: 429 and 503 are retried, no sooner than their Retry-After asks. */
class RetryAfterTest {

    private static SimulatedPortal portalAnswering(int status, Optional<Duration> retryAfter, BackoffPolicy policy) {
        var portal = new SimulatedPortal(policy, status);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.HttpStatus(status, retryAfter, "Too many requests"));
        return portal;
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void theNextAttemptWaitsForTheRetryAfterDelay(int status) {
        var portal = portalAnswering(status, Optional.of(Duration.ofSeconds(120)), BackoffPolicy.relay());
        portal.client.connect(0);
        portal.advanceBy(0);
        portal.upgrade = new SimulatedPortal.Upgrade.Accept();

        portal.runUntil(seconds(119));
        assertThat(portal.openTimes()).hasSize(1);
        portal.runUntil(seconds(121));

        assertThat(portal.openTimes()).containsExactly(0L, seconds(120));
        assertThat(portal.client.isJoined()).isTrue();
        assertThat(portal.failure()).isEmpty();
    }

    @Test
    void aTooManyRequestsWithoutRetryAfterFollowsTheBackoff() {
        var portal = portalAnswering(429, Optional.empty(), BackoffPolicy.relay());
        portal.client.connect(0);

        portal.runUntil(seconds(0.8));

        assertThat(portal.openTimes()).hasSize(2);
        assertThat(portal.failure()).isEmpty();
    }

    @Test
    void aRetryAfterEndingPastTheWindowGivesUp() {
        var portal = portalAnswering(503, Optional.of(Duration.ofMinutes(6)), BackoffPolicy.standard(Optional.of(Duration.ofMinutes(5))));
        portal.client.connect(0);

        portal.runUntil(MINUTE);

        assertThat(portal.failure().orElseThrow().what()).isInstanceOf(ChannelError.MaxRetriesReached.class);
        assertThat(portal.failure().orElseThrow().what().message()).contains("HTTP 503");
    }

    @Test
    void anExcessiveRetryAfterIsClampedToTenMinutes() {
        var portal = portalAnswering(429, Optional.of(Duration.ofDays(365)), BackoffPolicy.gateway());
        portal.client.connect(0);

        portal.runUntil(11 * MINUTE);

        assertThat(portal.openTimes()).containsExactly(0L, 10 * MINUTE);
    }
}
