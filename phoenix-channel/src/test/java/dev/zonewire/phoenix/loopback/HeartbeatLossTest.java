package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The portal stops answering (its path blackholes) and the client notices through its heartbeat. */
class HeartbeatLossTest {

    @Test
    void anUnansweredHeartbeatMakesTheClientReconnectAndReJoin() throws Exception {
        try (var portal = new LoopbackPortal().start(); var proxy = new BlackholeProxy(portal.port())) {
            var events = new EventRecorder();
            var config = Relays.config().withHeartbeat(Duration.ofMillis(400), Duration.ofMillis(200));
            try (var channel = PortalChannel.start(config, Relays.url("127.0.0.1", proxy.port(), LoopbackPortal.GOOD_TOKEN), events)) {
                events.await(ChannelEvent.Joined.class, 1);
                events.await(ChannelEvent.HeartbeatSent.class, 2);

                proxy.blackhole(true);
                var lost = events.await(ChannelEvent.Disconnected.class, 1);
                proxy.blackhole(false);

                assertThat(lost.cause()).isEqualTo("portal did not respond to our heartbeat");
                events.await(ChannelEvent.Joined.class, 2);
                assertThat(channel.isJoined()).isTrue();
                assertThat(portal.joinPayloads).hasSize(2);
            }
        }
    }
}
