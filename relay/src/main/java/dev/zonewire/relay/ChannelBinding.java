package dev.zonewire.relay;

import java.net.InetSocketAddress;

/**
 * A channel number bound to a peer for one allocation. It relays while {@link #bound}; after it
 * expires it stays reserved, relaying nothing, for a cooldown (RFC 8656 section 12).
 */
final class ChannelBinding {
    final Allocation allocation;
    final int number;
    final InetSocketAddress peer;
    long expiresAt;
    boolean bound = true;
    boolean live = true;

    ChannelBinding(Allocation allocation, int number, InetSocketAddress peer, long expiresAt) {
        this.allocation = allocation;
        this.number = number;
        this.peer = peer;
        this.expiresAt = expiresAt;
    }
}
