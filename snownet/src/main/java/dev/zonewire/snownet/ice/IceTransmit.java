package dev.zonewire.snownet.ice;

import java.net.InetSocketAddress;

/**
 * A STUN message an {@link IceAgent} wants sent from {@code source} (the base of a local
 * candidate: a host address, or a relayed address the caller reaches through its relay).
 */
public record IceTransmit(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
    @Override
    public String toString() {
        return "IceTransmit[" + source + " -> " + destination + ", " + payload.length + " bytes]";
    }
}
