package dev.zonewire.tunnel.gateway;

/** The outcome of mapping a client's proxy IPs to the real IPs of a name. */
public enum NatSetup {
    ACTIVE,
    UNKNOWN_RESOURCE,
    NOT_A_DNS_RESOURCE,
    /** The name does not fall under the resource's pattern: the client asked for a name it may not reach. */
    NAME_OUTSIDE_RESOURCE,
    /** A proxy IP outside the proxy ranges: the request is refused as a whole. */
    NOT_A_PROXY_ADDRESS,
    /** The client already has translations for {@value ClientOnGateway#MAX_TRANSLATIONS} proxy IPs: no more names. */
    TOO_MANY_NAMES
}
