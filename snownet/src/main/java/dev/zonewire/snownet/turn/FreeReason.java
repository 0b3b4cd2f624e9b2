package dev.zonewire.snownet.turn;

/** Why an allocation is finished and can be dropped. */
public enum FreeReason {
    /** The relay never answered, or stopped answering. */
    NO_RESPONSE,
    /** The relay rejected our credentials. */
    AUTHENTICATION_FAILED,
    /** The relay does not understand what we need (420 Unknown Attribute), or refuses every nonce it gives us. */
    PROTOCOL_FAILURE,
    /** We released it on shutdown. */
    RELEASED
}
