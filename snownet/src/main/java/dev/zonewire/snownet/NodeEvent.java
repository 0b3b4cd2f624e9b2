package dev.zonewire.snownet;

/** What a {@link Node} tells its owner (connlib): signalling to do and connection changes. */
public sealed interface NodeEvent<C> {
    C connection();

    /** Send this local candidate to the peer of {@code connection} through the portal. */
    record NewIceCandidate<C>(C connection, String candidate) implements NodeEvent<C> {
    }

    /** Tell the peer this candidate is gone. */
    record InvalidateIceCandidate<C>(C connection, String candidate) implements NodeEvent<C> {
    }

    /** The WireGuard handshake completed: packets flow. Emitted once per connection. */
    record ConnectionEstablished<C>(C connection) implements NodeEvent<C> {
    }

    /** The connection failed and is gone; the next packet for the peer needs a new one. */
    record ConnectionFailed<C>(C connection, FailureReason reason) implements NodeEvent<C> {
    }

    /** The connection was closed on our side: removed, replaced by its key, or dropped by {@link Node#reset}. */
    record ConnectionClosed<C>(C connection) implements NodeEvent<C> {
    }
}
