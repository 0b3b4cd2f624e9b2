package dev.zonewire.phoenix.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;

/**
 * Everything {@link ChannelClient} needs besides the URL. The defaults are the reference's numbers
 * (spec 1.2, 1.8, 1.9, 2.1); {@link #rejoinStableAfter} and {@link #maxRetryAfter} go beyond it.
 *
 * @param joinPayload            the {@code phx_join} payload: JSON null for clients and gateways,
 *                               {@code {"stamp_secret": ...}} for relays
 * @param heartbeatInterval      time between heartbeats while connected (30 s)
 * @param heartbeatTimeout       how long a heartbeat may go unanswered before we reconnect (5 s)
 * @param joinTimeout            how long the join may go unanswered before we reconnect
 * @param resolveTimeout         how long DNS may take before the last good addresses are used
 * @param connectTimeoutPerAddress TCP connect budget per address, tried in order
 * @param handshakeTimeout       budget for TLS and the WebSocket upgrade after TCP connects
 * @param maxQueuedPushes        pushes held while disconnected before the queue is discarded (32)
 * @param maxRetryAfter          the longest Retry-After honoured on 429/503; longer ones are clamped
 * @param rejoinStableAfter      a join that held this long resets the re-join backoff
 * @param closeTimeout           how long a graceful close may wait for the close handshake
 * @param maxFrameBytes          the largest frame accepted from the portal; a larger one closes the socket (1009)
 */
public record ChannelConfig(
        String userAgent,
        JsonNode joinPayload,
        BackoffPolicy backoff,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration joinTimeout,
        Duration resolveTimeout,
        Duration connectTimeoutPerAddress,
        Duration handshakeTimeout,
        int maxQueuedPushes,
        Duration maxRetryAfter,
        Duration rejoinStableAfter,
        Duration closeTimeout,
        int maxFrameBytes) {

    public ChannelConfig {
        joinPayload = joinPayload == null ? NullNode.getInstance() : joinPayload;
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("a User-Agent is required (spec 1.2)");
        }
        if (heartbeatTimeout.compareTo(heartbeatInterval) > 0) {
            throw new IllegalArgumentException("the heartbeat timeout must not exceed the interval");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("frames of at least 1 KiB must be accepted");
        }
        if (maxQueuedPushes < 1) {
            throw new IllegalArgumentException("the push queue needs room for at least one push");
        }
    }

    /** Like the record's, but without the join payload: a relay's holds its stamp secret. */
    @Override
    public String toString() {
        return "ChannelConfig[userAgent=" + userAgent + ", joinPayload=(hidden), backoff=" + backoff
                + ", heartbeatInterval=" + heartbeatInterval + ", heartbeatTimeout=" + heartbeatTimeout
                + ", joinTimeout=" + joinTimeout + ", resolveTimeout=" + resolveTimeout
                + ", connectTimeoutPerAddress=" + connectTimeoutPerAddress + ", handshakeTimeout=" + handshakeTimeout
                + ", maxQueuedPushes=" + maxQueuedPushes + ", maxRetryAfter=" + maxRetryAfter
                + ", rejoinStableAfter=" + rejoinStableAfter + ", closeTimeout=" + closeTimeout
                + ", maxFrameBytes=" + maxFrameBytes + "]";
    }

    /** The reference's numbers with the given User-Agent, join payload and backoff. */
    public static ChannelConfig defaults(String userAgent, JsonNode joinPayload, BackoffPolicy backoff) {
        return new ChannelConfig(userAgent, joinPayload, backoff,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                32, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(2), 16 << 20);
    }

    public ChannelConfig withBackoff(BackoffPolicy policy) {
        return new ChannelConfig(userAgent, joinPayload, policy, heartbeatInterval, heartbeatTimeout, joinTimeout,
                resolveTimeout, connectTimeoutPerAddress, handshakeTimeout, maxQueuedPushes, maxRetryAfter,
                rejoinStableAfter, closeTimeout, maxFrameBytes);
    }

    public ChannelConfig withHeartbeat(Duration interval, Duration timeout) {
        return new ChannelConfig(userAgent, joinPayload, backoff, interval, timeout, joinTimeout,
                resolveTimeout, connectTimeoutPerAddress, handshakeTimeout, maxQueuedPushes, maxRetryAfter,
                rejoinStableAfter, closeTimeout, maxFrameBytes);
    }

    public ChannelConfig withMaxFrameBytes(int bytes) {
        return new ChannelConfig(userAgent, joinPayload, backoff, heartbeatInterval, heartbeatTimeout, joinTimeout,
                resolveTimeout, connectTimeoutPerAddress, handshakeTimeout, maxQueuedPushes, maxRetryAfter,
                rejoinStableAfter, closeTimeout, bytes);
    }
}
