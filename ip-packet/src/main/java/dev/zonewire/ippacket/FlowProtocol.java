package dev.zonewire.ippacket;

/** How a NAT identifies a packet's flow besides its addresses (see {@link IpPacket#flowProtocol()}). */
public enum FlowProtocol {
    /** Keyed by TCP port. */
    TCP,
    /** Keyed by UDP port. */
    UDP,
    /** An ICMP or ICMPv6 echo request or reply, keyed by its identifier. */
    ICMP_ECHO,
    /** No ports or identifier: other protocols and ICMP errors. */
    UNSUPPORTED
}
