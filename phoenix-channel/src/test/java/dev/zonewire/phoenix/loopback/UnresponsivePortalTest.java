package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelConfig;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A portal that accepts TCP but never answers the upgrade: the attempt times out, is abandoned and retried. */
class UnresponsivePortalTest {

    @Test
    void anUpgradeThatNeverAnswersTimesOutAndIsRetried() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            var base = Relays.config();
            var config = new ChannelConfig(base.userAgent(), base.joinPayload(), base.backoff(), base.heartbeatInterval(),
                    base.heartbeatTimeout(), base.joinTimeout(), base.resolveTimeout(), Duration.ofMillis(200),
                    Duration.ofMillis(300), base.maxQueuedPushes(), base.maxRetryAfter(), base.rejoinStableAfter(),
                    base.closeTimeout(), base.maxFrameBytes());
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(config, Relays.url("127.0.0.1", silent.getLocalPort(), LoopbackPortal.GOOD_TOKEN), events)) {
                var first = events.await(ChannelEvent.Disconnected.class, 1);
                events.await(ChannelEvent.Disconnected.class, 2);

                assertThat(first.cause()).isEqualTo("timed out connecting to 127.0.0.1");
                assertThat(accepted.size()).isGreaterThanOrEqualTo(2);
                assertThat(channel.isJoined()).isFalse();
                assertThat(events.count(ChannelEvent.Failed.class)).isZero();
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
