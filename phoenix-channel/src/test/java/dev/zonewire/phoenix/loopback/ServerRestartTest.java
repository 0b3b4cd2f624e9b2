package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Our client against our server over loopback: the portal restarts mid-session and the client re-joins by itself. */
class ServerRestartTest {

    @Test
    void theClientReconnectsAndReJoinsAfterThePortalRestartsOnTheSamePort() throws Exception {
        try (var portal = new LoopbackPortal().start()) {
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(Relays.config(), Relays.url("localhost", portal.port(), LoopbackPortal.GOOD_TOKEN), events)) {
                events.await(ChannelEvent.Joined.class, 1);
                long firstPing = channel.push("ping", JsonNodeFactory.instance.numberNode(1));
                events.await(ChannelEvent.ReplyOk.class, r -> r.ref() == firstPing, 1, Duration.ofSeconds(10));

                portal.stop();
                events.await(ChannelEvent.Disconnected.class, 1);
                Thread.sleep(1500);
                portal.start();

                events.await(ChannelEvent.Joined.class, 2);
                long secondPing = channel.push("ping", JsonNodeFactory.instance.numberNode(2));
                var reply = events.await(ChannelEvent.ReplyOk.class, r -> r.ref() == secondPing, 1, Duration.ofSeconds(10));

                assertThat(reply.response().path("pong").asInt()).isEqualTo(2);
                assertThat(portal.joinPayloads).hasSize(2).allSatisfy(p -> assertThat(p).isEqualTo(Relays.JOIN));
                assertThat(events.count(ChannelEvent.Failed.class)).isZero();
                assertThat(channel.isJoined()).isTrue();
            }
        }
    }
}
