package dev.zonewire.snownet;

import java.net.InetSocketAddress;

/** What {@link Node#encapsulate} did with an IP packet. */
public sealed interface Encapsulated {

    /**
     * Send the buffer between its position and limit from {@code source} (null: any local address
     * of the destination's family) to {@code destination}. The node reuses these instances.
     */
    record Send(InetSocketAddress source, InetSocketAddress destination) implements Encapsulated {
    }

    /** Kept until the connection is ready (or a handshake completes); it leaves through {@link Node#pollTransmit()}. */
    record Queued() implements Encapsulated {
    }

    /** Dropped and counted. */
    record Dropped(DropReason reason) implements Encapsulated {
    }
}
