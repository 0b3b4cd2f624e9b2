package dev.zonewire.snownet.ice;

/** Where an {@link IceAgent} stands. */
public enum IceState {
    /** Created; no timeout handled yet. */
    NEW,
    /** Looking for a working pair: none is nominated, but some may still succeed. */
    CHECKING,
    /** A pair is nominated and carries traffic. */
    CONNECTED,
    /** Remote candidates exist but no pair is nominated or can still succeed. */
    DISCONNECTED
}
