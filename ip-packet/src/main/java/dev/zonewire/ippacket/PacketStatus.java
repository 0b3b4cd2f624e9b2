package dev.zonewire.ippacket;

/**
 * The outcome of parsing, verifying or translating a packet: {@link #VALID}, or the reason the
 * packet has to be dropped. Drivers count drops per reason, e.g. in a {@code long[]} indexed by
 * {@link #ordinal()}.
 */
public enum PacketStatus {
    VALID,

    // Parsing the IP layer.
    /** Fewer bytes than the smallest header of the packet's IP version (or no bytes at all). */
    TOO_SHORT,
    /** More bytes than the parser's maximum packet length. */
    TOO_LONG,
    /** The version nibble is neither 4 nor 6. */
    UNKNOWN_VERSION,
    /** IPv4 IHL below 5, or a header longer than the bytes given. */
    BAD_IPV4_HEADER_LENGTH,
    /** IPv4 total length smaller than its own header. */
    BAD_IPV4_TOTAL_LENGTH,
    /** The IPv4 total length or IPv6 payload length claims more bytes than were given. */
    TRUNCATED,
    /** An IPv4 option runs past the header or has a length below 2. */
    BAD_IPV4_OPTIONS,
    /** An IPv6 extension header is cut off, or hop-by-hop options are not the first one. */
    BAD_IPV6_EXTENSION_HEADER,
    /** An IPv4 fragment (MF set or offset non-zero) or an IPv6 fragment header: never reassembled. */
    FRAGMENT,

    // Parsing the transport layer.
    TCP_TRUNCATED,
    /** TCP data offset below 5. */
    BAD_TCP_HEADER_LENGTH,
    UDP_TRUNCATED,
    /** UDP length below 8 or beyond the IP payload. */
    BAD_UDP_LENGTH,
    /** An ICMP or ICMPv6 message shorter than its 8-byte header. */
    ICMP_TRUNCATED,
    /** A p2p-control packet (protocol 255 between {@code ::} and {@code ::}) without its 8-byte header. */
    P2P_CONTROL_TRUNCATED,

    // Verifying checksums.
    BAD_IPV4_CHECKSUM,
    BAD_TCP_CHECKSUM,
    BAD_UDP_CHECKSUM,
    /** A UDP checksum of zero inside IPv6, where RFC 8200 makes the checksum mandatory. */
    MISSING_UDP_CHECKSUM,
    BAD_ICMP_CHECKSUM,

    // Translating between IPv4 and IPv6.
    /** Not enough room in the buffer before (or, for ICMP errors, after) the packet to grow it. */
    NO_HEADROOM,
    /** IPv6 extension headers are present; NAT64 translates only plain IPv6 packets. */
    UNTRANSLATABLE_EXTENSION_HEADERS,
    /** A protocol number that means something else in the other version: ICMPv6 or an extension header in IPv4, ICMPv4 in IPv6. */
    UNTRANSLATABLE_PROTOCOL,
    /** An ICMP type or code that RFC 7915 (as the reference implements it) silently drops. */
    UNTRANSLATABLE_ICMP,
    /** An ICMP error whose quoted packet cannot be parsed or translated. */
    UNTRANSLATABLE_QUOTED_PACKET;

    public boolean isValid() {
        return this == VALID;
    }
}
