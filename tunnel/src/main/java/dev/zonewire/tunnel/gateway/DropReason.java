package dev.zonewire.tunnel.gateway;

/** Why the gateway dropped a packet; each is counted. */
public enum DropReason {
    /** The packet's source is not the client's tunnel address: silently dropped (never reflect to a spoofed source). */
    SOURCE_NOT_ALLOWED(false),
    /** No resource of the client covers the destination, or its filters deny the port or protocol. */
    DESTINATION_NOT_ALLOWED(true),
    /** A proxy IP whose DNS NAT is set up, but the protocol has no port or echo id to translate. */
    UNTRANSLATABLE_PROTOCOL(true),
    /** The packet could not be translated between IPv4 and IPv6 (no headroom, extension headers, an ICMP type without equivalent). */
    UNTRANSLATABLE_PACKET(false),
    /** The client's NAT table is full, or every port towards that real IP is taken. */
    NAT_EXHAUSTED(false),
    /**
     * No client peer with that id or tunnel address (never authorized, rejected, expired or removed). From a
     * client, whose connection authenticates it, the answer tells it to ask the portal for a flow again.
     */
    UNKNOWN_CLIENT(true),
    /**
     * From a client: the destination is a tunnel address (another client, a gateway). The gateway routes those
     * into its own TUN device, so forwarding would connect clients to each other. Silent: no resource is refused.
     */
    PEER_DESTINATION(false),
    /** Towards a client: the destination is outside the tunnel's peer ranges. */
    NOT_A_PEER_ADDRESS(false);

    private final boolean answerProhibited;

    DropReason(boolean answerProhibited) {
        this.answerProhibited = answerProhibited;
    }

    public boolean answerProhibited() {
        return answerProhibited;
    }
}
