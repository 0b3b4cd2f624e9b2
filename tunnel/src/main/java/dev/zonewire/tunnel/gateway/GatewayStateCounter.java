package dev.zonewire.tunnel.gateway;

/** What {@link GatewayState} counts besides packet drops (see {@link GatewayAccess}) and snownet's own. */
public enum GatewayStateCounter {
    /** A portal message with keys or credentials snownet refused: nothing granted, nothing answered. */
    PORTAL_MESSAGES_REFUSED
}
