package dev.zonewire.snownet;

import java.net.InetSocketAddress;

/**
 * The way a connection's packets currently take. {@code relay} is our relay's id when we send
 * through it (null for a direct send from {@code localBase}); {@code remoteIsRelayed} says whether
 * the peer's address is one of its relayed addresses.
 */
public record PeerPath<R>(InetSocketAddress localBase, R relay, InetSocketAddress remote, boolean remoteIsRelayed) {

    /** No relay on either side. */
    public boolean isDirect() {
        return relay == null && !remoteIsRelayed;
    }
}
