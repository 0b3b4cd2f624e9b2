package dev.zonewire.tunnel.client;

/** What {@link ClientState} counts: every packet it drops lands in exactly one of the drop counters. */
public enum ClientCounter {
    /** From the TUN device or a gateway: not a valid IP packet (see also the per-status counts). */
    MALFORMED_PACKETS,
    /** To IGMP's 224.0.0.22 or the all-routers ff02::2, which operating systems send to every interface. */
    MULTICAST_IGNORED,
    /** To an address no resource covers (including proxy IPs never handed out). */
    NO_RESOURCE,
    /** snownet refused to send a packet for a connected gateway (its own counters say why). */
    NOT_SENT,
    /** From a gateway: a source address outside what the gateway may use for its resources (spoofed). */
    SOURCE_NOT_ALLOWED,
    /** From a gateway: to an address other than our tunnel addresses (written to the TUN device, it would be routed on). */
    DESTINATION_NOT_OURS,
    /** From a connection that serves no resource (e.g. all of them were removed). */
    UNKNOWN_GATEWAY,
    /** Control-protocol messages that do not decode, are of an unknown type, or make no sense from a gateway. */
    CONTROL_IGNORED,
    /** Outputs (TUN packets, datagrams, portal messages, events, host DNS queries) dropped because the driver did not poll them in time. */
    OUTPUT_QUEUE_FULL,
    /** Portal messages naming an unknown resource, or carrying keys or credentials snownet refuses. */
    PORTAL_MESSAGES_IGNORED,
    /** An ICMP "administratively prohibited" from a gateway: the resource's flow is asked for again. */
    FLOWS_REFUSED_BY_GATEWAY
}
