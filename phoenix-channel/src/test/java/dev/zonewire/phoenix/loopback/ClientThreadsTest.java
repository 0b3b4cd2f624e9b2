package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A channel owns one HTTP client for all its reconnects and stops its threads when it ends, closed or failed. */
class ClientThreadsTest {

    @Test
    void reconnectsReuseTheChannelsThreadsAndClosingStopsThemAll() throws Exception {
        try (var portal = new LoopbackPortal().start()) {
            long before = channelThreads();
            var events = new EventRecorder();
            var channel = PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), LoopbackPortal.GOOD_TOKEN), events);
            events.await(ChannelEvent.Joined.class, 1);
            long whileJoined = channelThreads();
            for (int outage = 1; outage <= 3; outage++) {
                portal.stop();
                events.await(ChannelEvent.Disconnected.class, outage);
                portal.start();
                events.await(ChannelEvent.Joined.class, outage + 1);
            }

            assertThat(channelThreads()).isLessThanOrEqualTo(whileJoined);
            channel.close();
            awaitThreads(before);
        }
    }

    @Test
    void aChannelThatFailsStopsItsThreadsWithoutBeingClosed() throws Exception {
        try (var portal = new LoopbackPortal().start()) {
            long before = channelThreads();
            var events = new EventRecorder();
            PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), "a-refused-token"), events);

            events.await(ChannelEvent.Failed.class, 1);

            awaitThreads(before);
        }
    }

    private static void awaitThreads(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (channelThreads() > expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(channelThreads()).isEqualTo(expected);
    }

    /** Threads of Jetty's HTTP client and of our channel loop; the server's are named otherwise. */
    private static long channelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient") || name.startsWith("zw-phx-channel-") || name.startsWith("WebSocketClient"))
                .count();
    }
}
