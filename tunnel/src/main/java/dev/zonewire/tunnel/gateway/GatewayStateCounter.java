package dev.zonewire.tunnel.gateway;

/** What {@link GatewayState} counts besides packet drops (see {@link GatewayAccess}) and snownet's own. */
public enum GatewayStateCounter {
    /** A portal message with keys or credentials snownet refused: nothing granted, nothing answered. */
    PORTAL_MESSAGES_REFUSED,
    /** Outputs (datagrams, portal messages, events) dropped because the driver did not poll them in time. */
    OUTPUT_QUEUE_FULL
}
