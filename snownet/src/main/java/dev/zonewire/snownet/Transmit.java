package dev.zonewire.snownet;

import java.net.InetSocketAddress;

/**
 * A datagram to send from the socket of the destination's family. {@code source} is the local IP
 * (with our port) to send from, or null when any will do (everything sent to a relay).
 */
public record Transmit(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
    @Override
    public String toString() {
        return "Transmit[" + (source == null ? "*" : source) + " -> " + destination + ", " + payload.length + " bytes]";
    }
}
