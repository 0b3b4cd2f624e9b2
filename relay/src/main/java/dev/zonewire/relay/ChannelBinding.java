package dev.zonewire.relay;

import java.net.InetSocketAddress;

/**
 * A channel number bound to a peer for one allocation. It relays while {@link #bound}; after it
 * expires it stays reserved, relaying nothing, for a cooldown (RFC 8656 section 12).
 */
final class ChannelBinding extends Deadlines.Target {
    final Allocation allocation;
    final int number;
    final InetSocketAddress peer;
    /** The peer's IP address bytes, made once so that relaying needs no copy of them. */
    final byte[] peerAddress;
    long expiresAt;
    boolean bound = true;

    ChannelBinding(Allocation allocation, int number, InetSocketAddress peer, long expiresAt) {
        this.allocation = allocation;
        this.number = number;
        this.peer = peer;
        this.peerAddress = peer.getAddress().getAddress();
        this.expiresAt = expiresAt;
    }
}
