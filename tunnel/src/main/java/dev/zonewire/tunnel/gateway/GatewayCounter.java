package dev.zonewire.tunnel.gateway;

/** What {@link GatewayAccess} counts, besides the drops (counted per {@link DropReason}). */
public enum GatewayCounter {
    /** ICMP destination-unreachable (administratively prohibited) answers granted. */
    ICMP_ERRORS_SENT,
    /** Prohibited answers withheld by the rate limit. */
    ICMP_ERRORS_SUPPRESSED,
    /** A resolution was not started: {@value GatewayAccess#MAX_PENDING_RESOLUTIONS} already pending. */
    RESOLUTIONS_DROPPED,
    /** A resolution took longer than 10 s and counted as an empty answer. */
    RESOLUTION_TIMEOUTS,
    /** A DNS NAT request was refused (unknown or non-DNS resource, name outside its pattern, bad proxy IP). */
    NAT_SETUPS_REFUSED,
    /** Access that reached its {@code expires_at}. */
    ACCESS_EXPIRED,
    /** A {@code resource_updated} that would change a resource's kind: ignored. */
    RESOURCE_KIND_CHANGES_IGNORED,
    /** Control-protocol payloads that do not decode. */
    CONTROL_MALFORMED,
    /** Control-protocol event types this version does not know. */
    CONTROL_UNKNOWN,
    /** Control-protocol events of a kind only a client receives. */
    CONTROL_UNEXPECTED
}
