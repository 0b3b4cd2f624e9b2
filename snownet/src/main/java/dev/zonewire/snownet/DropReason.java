package dev.zonewire.snownet;

/** Why the node dropped a datagram or a packet. Each drop is counted under one reason. */
public enum DropReason {
    /** A datagram longer than {@link Node#MAX_DATAGRAM_PAYLOAD}. */
    DATAGRAM_TOO_LARGE,
    /** It arrived on an address that cannot be a candidate (unspecified, IPv4 link-local, port 0). */
    BAD_LOCAL_ADDRESS,
    /** ChannelData from a relay that is malformed or names a channel that is not bound. */
    BAD_CHANNEL_DATA,
    /** A STUN message from a peer that no connection's ICE agent accepted. */
    UNHANDLED_STUN,
    /** Not STUN, and WireGuard refused it (the tunnel's own counters say why). */
    REJECTED_BY_WIREGUARD,
    /** An IP packet longer than the tunnel carries ({@link Node#MAX_PACKET}). */
    PACKET_TOO_LARGE,
    /** An IP packet for a connection that does not exist or has failed. */
    NOT_CONNECTED,
    /** There is no way to the peer right now, e.g. no channel on the relay yet. */
    NO_PATH,
    /** Packets waiting for a connection overflowed its queue; the oldest was dropped. */
    PENDING_QUEUE_FULL,
    /** The driver did not drain {@link Node#pollTransmit()} or {@link Node#pollEvent()} in time. */
    OUTPUT_QUEUE_FULL
}
