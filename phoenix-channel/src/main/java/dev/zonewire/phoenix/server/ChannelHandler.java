package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server side of one kind of topic (Phoenix's channel module). Calls for one socket come one
 * at a time on that socket's thread, in the order its frames arrived: a handler that blocks holds
 * up that socket. An exception crashes only the channel: the client gets {@code phx_error}.
 */
public interface ChannelHandler<I> {
    /** Decides whether {@code channel.identity()} may join {@code channel.topic()} with {@code payload}. */
    JoinReply join(Channel<I> channel, JsonNode payload);

    /** A push from the client on a joined topic; reply through {@code inbound}, now or later, or not at all. */
    void handleIn(Channel<I> channel, Inbound inbound);

    /** The channel ended (left, closed, crashed, rejoined or its socket closed); no more calls follow. */
    default void terminated(Channel<I> channel, Channel.Termination reason) {}
}
