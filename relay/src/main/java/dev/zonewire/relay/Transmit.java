package dev.zonewire.relay;

import java.net.InetSocketAddress;
import java.util.HexFormat;

/** A STUN message for a client, to be sent from the listen port of the client's address family. */
public record Transmit(InetSocketAddress destination, byte[] payload) {
    @Override
    public String toString() {
        return "Transmit[to " + destination + ", " + HexFormat.of().formatHex(payload) + "]";
    }
}
