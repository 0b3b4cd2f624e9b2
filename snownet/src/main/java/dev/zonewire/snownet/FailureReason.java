package dev.zonewire.snownet;

/** Why a connection failed. */
public enum FailureReason {
    /** The peer sent no candidate (and no check) within {@link Node#CANDIDATE_TIMEOUT}. */
    NO_REMOTE_CANDIDATES,
    /** No ICE pair was nominated within {@link Node#CONNECT_TIMEOUT} of the connection's creation. */
    CONNECT_TIMEOUT,
    /** Every candidate pair failed and no new candidate came within {@link Node#DISCONNECT_GRACE}. */
    ICE_FAILED,
    /** WireGuard gave up: no handshake completed for 90 s, or no new session for 9 minutes. */
    WIREGUARD_EXPIRED
}
