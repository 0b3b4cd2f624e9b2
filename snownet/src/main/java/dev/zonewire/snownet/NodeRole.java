package dev.zonewire.snownet;

/** Which end of a connection a node is: the client nominates ICE pairs (controlling), the gateway follows. */
public enum NodeRole {
    CLIENT,
    GATEWAY;

    boolean isIceControlling() {
        return this == CLIENT;
    }
}
