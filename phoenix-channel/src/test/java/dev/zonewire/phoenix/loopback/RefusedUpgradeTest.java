package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelError;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The portal refuses the upgrade: a bad token ends the client, a 429 is retried after its Retry-After. */
class RefusedUpgradeTest {

    @Test
    void aTokenThePortalRejectsEndsTheClientAtOnceWithAClearMessage() throws Exception {
        try (var portal = new LoopbackPortal().start()) {
            var events = new EventRecorder();
            var channel = PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), "zw-phx-wrong-token"), events);

            var failed = events.await(ChannelEvent.Failed.class, 1);

            assertThat(channel.awaitTermination(Duration.ofSeconds(5))).isTrue();
            assertThat(failed.error()).isEqualTo(new ChannelError.Rejected(401, "Invalid token"));
            assertThat(failed.error().isAuthenticationError()).isTrue();
            assertThat(failed.error().message())
                    .isEqualTo("the portal refused the connection with HTTP 401: Invalid token (the token was refused: check or renew it)");
            assertThat(portal.upgradeTimes).hasSize(1);
            assertThat(events.count(ChannelEvent.Disconnected.class)).isZero();
            channel.close();
        }
    }

    @Test
    void aTooManyRequestsIsRetriedNoSoonerThanItsRetryAfter() throws Exception {
        try (var portal = new LoopbackPortal().start()) {
            portal.tooManyRequestsToSend.set(1);
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), LoopbackPortal.GOOD_TOKEN), events)) {
                var refused = events.await(ChannelEvent.Disconnected.class, 1);
                events.await(ChannelEvent.Joined.class, 1);

                assertThat(refused.cause()).isEqualTo("HTTP 429: Too many requests (Retry-After 1 s)");
                assertThat(refused.retryIn()).isEqualTo(Duration.ofSeconds(1));
                assertThat(portal.upgradeTimes).hasSize(2);
                assertThat(TimeUnit.NANOSECONDS.toMillis(portal.upgradeTimes.get(1) - portal.upgradeTimes.get(0))).isGreaterThanOrEqualTo(1000);
                assertThat(channel.isJoined()).isTrue();
            }
        }
    }
}
