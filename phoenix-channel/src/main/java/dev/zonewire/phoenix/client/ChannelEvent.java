package dev.zonewire.phoenix.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * What {@link ChannelClient} tells its owner; drained with {@link ChannelClient#pollEvent()}. The
 * portal's payloads carry secrets (preshared keys, credentials), so no event's {@code toString}
 * shows one: an owner that logs an event logs its kind and names only.
 */
public sealed interface ChannelEvent {
    /** The login topic was joined (again): expect the portal's {@code init}. */
    record Joined(String topic, JsonNode response) implements ChannelEvent {
        @Override
        public String toString() {
            return "Joined[topic=" + topic + "]";
        }
    }

    /** A message the portal pushed on the login topic. */
    record Received(String topic, String event, JsonNode payload) implements ChannelEvent {
        @Override
        public String toString() {
            return "Received[topic=" + topic + ", event=" + event + "]";
        }
    }

    /** The portal answered the push with this ref with {@code status: ok}. */
    record ReplyOk(long ref, JsonNode response) implements ChannelEvent {
        @Override
        public String toString() {
            return "ReplyOk[ref=" + ref + "]";
        }
    }

    /** The portal answered the push with this ref with {@code status: error}. */
    record ReplyError(long ref, String reason, JsonNode response) implements ChannelEvent {
        @Override
        public String toString() {
            return "ReplyError[ref=" + ref + ", reason=" + reason + "]";
        }
    }

    /** The connection was lost or could not be made; the next attempt follows after {@code retryIn}. */
    record Disconnected(String cause, Duration retryIn) implements ChannelEvent {}

    /** A heartbeat went out (the relay's health check counts these). */
    record HeartbeatSent(long ref) implements ChannelEvent {}

    /** The outbound queue overflowed while disconnected; these pushes were discarded unsent. */
    record PushesDropped(List<Long> refs) implements ChannelEvent {}

    /** The channel stopped for good; no more events follow. */
    record Failed(ChannelError error) implements ChannelEvent {}

    /** The channel was closed by its owner; no more events follow. */
    record Closed() implements ChannelEvent {}
}
