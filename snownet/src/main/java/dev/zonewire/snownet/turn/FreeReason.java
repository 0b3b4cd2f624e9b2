package dev.zonewire.snownet.turn;

/** Why an allocation is finished and can be dropped. */
public enum FreeReason {
    /** The relay never answered, or stopped answering. */
    NO_RESPONSE,
    /** The relay rejected our credentials. */
    AUTHENTICATION_FAILED,
    /**
     * The relay does not understand what we need (420 Unknown Attribute), refuses every nonce it
     * gives us, or allocated without a lifetime or a usable relayed address.
     */
    PROTOCOL_FAILURE,
    /** We released it on shutdown. */
    RELEASED
}
