package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.PortalChannel;
import org.junit.jupiter.api.Test;

/** Neither a session with an outage nor a refused token puts the token, or the relay's stamp secret, into any log line. */
class TokenRedactionTest {

    @Test
    void theTokenNeverAppearsInTheLogsOfAConnectionThatJoinsLosesThePortalAndIsRefused() throws Exception {
        String wrongToken = "zw-phx-another-secret-token-77aa";
        try (var logs = new LogCapture(); var portal = new LoopbackPortal().start()) {
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), LoopbackPortal.GOOD_TOKEN), events)) {
                events.await(ChannelEvent.Joined.class, 1);
                channel.push("ping", JsonNodeFactory.instance.objectNode());
                portal.stop();
                events.await(ChannelEvent.Disconnected.class, 2);
                portal.start();
                events.await(ChannelEvent.Joined.class, 2);
            }
            var refusedEvents = new EventRecorder();
            try (var _ = PortalChannel.start(Relays.config(), Relays.url("127.0.0.1", portal.port(), wrongToken), refusedEvents)) {
                refusedEvents.await(ChannelEvent.Failed.class, 1);
            }

            assertThat(logs.lines()).isNotEmpty()
                    .noneSatisfy(line -> assertThat(line).contains(LoopbackPortal.GOOD_TOKEN))
                    .noneSatisfy(line -> assertThat(line).contains(wrongToken))
                    .noneSatisfy(line -> assertThat(line).contains(Relays.JOIN.path("stamp_secret").asText()));
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("token=REDACTED"));
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("HTTP 401"));
        }
    }
}
