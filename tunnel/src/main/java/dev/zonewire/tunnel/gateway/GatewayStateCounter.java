package dev.zonewire.tunnel.gateway;

/** What {@link GatewayState} counts besides packet drops (see {@link GatewayAccess}) and snownet's own. */
public enum GatewayStateCounter {
    /** A portal message with keys or credentials snownet refused: nothing granted, nothing answered. */
    PORTAL_MESSAGES_REFUSED,
    /** Datagrams of ours dropped because the driver did not drain them in time. */
    OUTPUT_QUEUE_FULL
}
