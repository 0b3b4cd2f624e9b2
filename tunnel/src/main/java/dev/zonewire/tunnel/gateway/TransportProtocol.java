package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IpPacket;

/**
 * The transport of a packet as the gateway's filters and NAT see it. ICMP echo request and reply carry an
 * identifier that the NAT treats like a port; every other ICMP message is {@link #ICMP_OTHER}.
 */
public enum TransportProtocol {
    TCP,
    UDP,
    ICMP_ECHO,
    ICMP_OTHER,
    /** Any other IP protocol (GRE, ESP, SCTP, ...): filters deny it and the NAT cannot translate it. */
    OTHER;

    /** The transport of a valid packet; allocates nothing. */
    public static TransportProtocol of(IpPacket packet) {
        return switch (packet.flowProtocol()) {
            case TCP -> TCP;
            case UDP -> UDP;
            case ICMP_ECHO -> ICMP_ECHO;
            case UNSUPPORTED -> packet.isIcmpv4() || packet.isIcmpv6() ? ICMP_OTHER : OTHER;
        };
    }

    public boolean isIcmp() {
        return this == ICMP_ECHO || this == ICMP_OTHER;
    }

    /** True for the protocols the NAT can translate: it rewrites their port or echo identifier. */
    public boolean hasPortOrIdentifier() {
        return this == TCP || this == UDP || this == ICMP_ECHO;
    }
}
