package dev.zonewire.snownet.turn;

import java.net.InetSocketAddress;

/** A message for the relay; any local address of the destination's family may send it. */
public record TurnTransmit(InetSocketAddress destination, byte[] payload) {
    @Override
    public String toString() {
        return "TurnTransmit[to " + destination + ", " + payload.length + " bytes]";
    }
}
