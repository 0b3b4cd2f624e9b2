package dev.zonewire.snownet;

/** What {@link Node#decapsulate} made of a datagram. */
public sealed interface Decapsulated<C> {

    /**
     * The datagram carried an IP packet from {@code connection}'s peer: the buffer's position and
     * limit now frame it. Check its source address against what the peer may use before writing
     * it to the TUN device. The node reuses one instance per connection.
     */
    record Packet<C>(C connection) implements Decapsulated<C> {
    }

    /** The datagram was for the node itself (STUN, TURN, a WireGuard handshake or keepalive). */
    record Handled<C>() implements Decapsulated<C> {
    }

    /** The datagram was dropped and counted. */
    record Dropped<C>(DropReason reason) implements Decapsulated<C> {
    }
}
