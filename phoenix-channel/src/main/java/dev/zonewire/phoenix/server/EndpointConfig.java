package dev.zonewire.phoenix.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Phoenix socket mounted at {@code <path>/websocket}: who may connect, which topics exist, and
 * the limits that keep one client from hurting the server.
 *
 * @param idleTimeout          a socket that sends no frame for this long is closed (Firezone: client 307 s, gateway 37 s, relay 41 s)
 * @param maxFrameBytes        a larger incoming frame closes the socket with 1009 (message too big); 64 KiB by
 *                             default: what components send is small, and a parsed frame can hold about 30 times
 *                             its size in memory (a frame of empty objects), on every Jetty thread at once
 * @param maxQueuedFrames      outgoing frames not yet written before the socket is dropped as a slow consumer
 * @param maxQueuedBytes       outgoing UTF-8 bytes not yet written before the socket is dropped as a slow consumer
 *                             (one frame is always accepted into an empty queue, whatever its size)
 * @param maxChannelsPerSocket topics one socket may have joined at once
 * @param maxJoinsPerMinute    joins one socket may send per minute, to any topic; the rest are refused
 * @param checkOrigin          an upgrade whose {@code Origin} header names another host than the request's is
 *                             refused with 403 (Phoenix's {@code check_origin: :conn}); components send no Origin
 */
public record EndpointConfig<I>(
        String path,
        Authenticator<I> authenticator,
        List<Route<I>> routes,
        Duration idleTimeout,
        int maxFrameBytes,
        int maxQueuedFrames,
        long maxQueuedBytes,
        int maxChannelsPerSocket,
        int maxJoinsPerMinute,
        boolean checkOrigin) {

    /** A topic, or a topic prefix ending in {@code *}, and its handler. */
    public record Route<I>(String pattern, ChannelHandler<I> handler) {
        boolean matches(String topic) {
            return pattern.endsWith("*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(topic);
        }
    }

    public EndpointConfig {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("an endpoint path starts with / and does not end with it, e.g. /relay");
        }
        routes = List.copyOf(routes);
        if (maxFrameBytes < 256 || maxQueuedFrames < 1 || maxQueuedBytes < 1 || maxChannelsPerSocket < 1 || maxJoinsPerMinute < 1) {
            throw new IllegalArgumentException("endpoint limits must be positive (and frames at least 256 bytes)");
        }
    }

    public static <I> Builder<I> builder(String path, Authenticator<I> authenticator) {
        return new Builder<>(path, authenticator);
    }

    Optional<ChannelHandler<I>> handlerFor(String topic) {
        return routes.stream().filter(r -> r.matches(topic)).map(Route::handler).findFirst();
    }

    /** Builds an endpoint; the defaults suit a portal socket. */
    public static final class Builder<I> {
        private final String path;
        private final Authenticator<I> authenticator;
        private final List<Route<I>> routes = new ArrayList<>();
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxFrameBytes = 64 << 10;
        private int maxQueuedFrames = 1024;
        private long maxQueuedBytes = 16L << 20;
        private int maxChannelsPerSocket = 100;
        private int maxJoinsPerMinute = 120;
        private boolean checkOrigin = true;

        private Builder(String path, Authenticator<I> authenticator) {
            this.path = path;
            this.authenticator = authenticator;
        }

        public Builder<I> topic(String pattern, ChannelHandler<I> handler) {
            routes.add(new Route<>(pattern, handler));
            return this;
        }

        public Builder<I> idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder<I> maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        public Builder<I> maxQueuedFrames(int frames) {
            this.maxQueuedFrames = frames;
            return this;
        }

        public Builder<I> maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** Whether to refuse upgrades from a foreign {@code Origin}; on by default. */
        public Builder<I> checkOrigin(boolean check) {
            this.checkOrigin = check;
            return this;
        }

        public Builder<I> maxChannelsPerSocket(int channels) {
            this.maxChannelsPerSocket = channels;
            return this;
        }

        public Builder<I> maxJoinsPerMinute(int joins) {
            this.maxJoinsPerMinute = joins;
            return this;
        }

        public EndpointConfig<I> build() {
            return new EndpointConfig<>(path, authenticator, routes, idleTimeout, maxFrameBytes, maxQueuedFrames,
                    maxQueuedBytes, maxChannelsPerSocket, maxJoinsPerMinute, checkOrigin);
        }
    }
}
