package dev.zonewire.wireguard;

/** Why the tunnel dropped a datagram or a packet. Every drop is counted under exactly one reason. */
public enum DropReason {
    /** Shorter than 4 bytes, or its first 4 bytes name no message type (the type byte and 3 zero bytes). */
    UNKNOWN_MESSAGE_TYPE,
    /** A known type with the wrong length: handshake messages have exact lengths, data at least 32 bytes. */
    INVALID_LENGTH,
    /** A handshake message whose mac1 is not keyed with our public key. */
    INVALID_MAC1,
    /** Under load, a handshake message without a valid mac2: answered with a cookie reply instead. */
    COOKIE_REQUIRED,
    /** Under load, more handshake messages from one IP address than its rate allows. */
    RATE_LIMITED,
    /** An initiation (or response) that does not decrypt or authenticate, or carries a small-order key. */
    HANDSHAKE_DECRYPTION_FAILED,
    /** An initiation from a static key that is not one of our peers. */
    UNKNOWN_PEER,
    /** An initiation whose timestamp is not newer than the last one accepted from that peer. */
    REPLAYED_HANDSHAKE,
    /** A second initiation from the same peer within 20 ms. */
    HANDSHAKE_FLOOD,
    /** A response, cookie reply or data message for an index we never gave out or already dropped. */
    UNKNOWN_RECEIVER_INDEX,
    /** A response to an initiation that is no longer the one we are waiting for. */
    UNEXPECTED_RESPONSE,
    /** A cookie reply that does not decrypt with the mac1 of our last message to that peer. */
    INVALID_COOKIE_REPLY,
    /** Data for a session older than REJECT_AFTER_TIME. */
    EXPIRED_SESSION,
    /** Data whose counter was already received, is too old for the replay window, or is past the limit. */
    REPLAYED_COUNTER,
    /** Data that does not authenticate under the session's key. */
    DECRYPTION_FAILED,
    /** Authenticated data that is not a well-formed IPv4 or IPv6 packet. */
    INVALID_INNER_PACKET,
    /** An outgoing packet pushed out of a peer's queue while waiting for a handshake. */
    STAGED_QUEUE_FULL,
    /** An outgoing packet that waited for a handshake that did not complete within REKEY_ATTEMPT_TIME. */
    HANDSHAKE_TIMED_OUT,
    /** An outgoing packet or handshake for a peer whose endpoint is not known yet. */
    NO_ENDPOINT,
    /** A transmit or event discarded because the driver did not drain the output queue. */
    OUTPUT_QUEUE_FULL
}
