package dev.zonewire.relay;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

/** An authenticated client refreshing over and over must not grow the relay's timer queue. */
class DeadlineQueueTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    @Test
    void repeatedRefreshesKeepOneDeadlinePerAllocationAndChannel() {
        client.allocate();
        assertSuccess(client.bindChannel(0x4000, socket("192.0.2.50:51820")));

        for (int i = 0; i < 1000; i++) {
            relay.now += 1_000_000;
            if (i % 40 == 0) {
                client.fetchNonce(); // a nonce is good for 100 requests
            }
            assertSuccess(client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(3600 - i)));
            assertSuccess(client.bindChannel(0x4000, socket("192.0.2.50:51820")));
        }

        assertThat(relay.server.scheduledDeadlines()).isEqualTo(2);
    }

    @Test
    void aShortenedLifetimeStillEndsTheAllocationOnTime() {
        client.allocate(new StunAttribute.Lifetime(3600));
        relay.advance(Duration.ofSeconds(10));
        client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(600));

        assertThat(relay.server.pollTimeout()).isEqualTo(relay.nanosFromNow(Duration.ofSeconds(600)));
        relay.advance(Duration.ofSeconds(600));

        assertThat(relay.server.allocationCount()).isZero();
        assertThat(relay.server.scheduledDeadlines()).isZero();
        assertThat(relay.server.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void deletingAnAllocationCancelsItsChannelsDeadlines() {
        client.allocate();
        client.bindChannel(0x4000, socket("192.0.2.50:51820"));
        client.bindChannel(0x4001, socket("192.0.2.51:51820"));

        client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(0));

        assertThat(relay.server.scheduledDeadlines()).isZero();
    }
}
