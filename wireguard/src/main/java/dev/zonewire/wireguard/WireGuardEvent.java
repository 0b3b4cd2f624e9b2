package dev.zonewire.wireguard;

/** What happened to a peer's sessions, for the driver to log or act on. */
public sealed interface WireGuardEvent {
    PublicKey peer();

    /** A handshake completed and a new session is in use for sending. */
    record HandshakeCompleted(PublicKey peer) implements WireGuardEvent {}

    /** No handshake completed within REKEY_ATTEMPT_TIME; queued packets for the peer were dropped. */
    record HandshakeAbandoned(PublicKey peer) implements WireGuardEvent {}

    /** No new session for 3 × REJECT_AFTER_TIME: all of the peer's keys were erased. */
    record SessionsCleared(PublicKey peer) implements WireGuardEvent {}
}
