package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;

import java.net.InetSocketAddress;

/** What the relay asks its driver to do besides sending STUN responses. */
public sealed interface RelayEvent {

    /**
     * Open the UDP socket for an allocation on this port and family. If that fails, tell the
     * server with {@link RelayServer#handleAllocationFailed} before sending any queued transmit.
     */
    record AllocationCreated(int port, AddressFamily family, InetSocketAddress client) implements RelayEvent {
    }

    /** Close the allocation's socket on this port and family. */
    record AllocationFreed(int port, AddressFamily family) implements RelayEvent {
    }
}
