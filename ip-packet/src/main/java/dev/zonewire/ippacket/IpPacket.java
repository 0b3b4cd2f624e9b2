package dev.zonewire.ippacket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A reusable, zero-copy view of one IPv4 or IPv6 packet in a {@link ByteBuffer}.
 *
 * <p>{@link #wrap} points the view at a packet and validates it, returning {@link PacketStatus#VALID}
 * or the reason to drop it; untrusted bytes never make it throw. Accessors and rewrites then read
 * and write the buffer in place with absolute operations (the buffer's position and limit are
 * never changed). Every rewrite fixes the checksums it affects incrementally (RFC 1624), so a
 * driver can parse, rewrite and forward a packet without allocating and without touching its
 * payload.
 *
 * <p>Calling an accessor that does not fit the packet (for example {@link #tcp()} on a UDP
 * packet, or anything after {@code wrap} returned an invalid status) is a programming error and
 * throws {@link IllegalStateException}. The transport views returned by {@link #tcp()} and its
 * siblings are owned by this packet and follow it when it is re-wrapped. Not thread-safe: use one
 * instance per thread.
 */
public final class IpPacket {

    /** The MTU of Firezone's TUN devices and the largest packet the tunnel accepts. */
    public static final int TUNNEL_MTU = 1280;
    /** The largest IP packet there is. */
    public static final int MAX_LENGTH = 65_535;
    /**
     * Free bytes a driver leaves before each packet in its buffer, so that NAT46 can grow the
     * header in place (an IPv6 header is 20 bytes longer than an IPv4 header without options).
     */
    public static final int NAT46_HEADROOM = 20;

    static final int PROTOCOL_ICMP = 1;
    static final int PROTOCOL_TCP = 6;
    static final int PROTOCOL_UDP = 17;
    static final int PROTOCOL_ICMPV6 = 58;

    private final int maxLength;
    /** The packet whose ICMP error quotes this one, or null for a packet of its own. */
    private final IpPacket enclosing;
    /** The view for the packet quoted in this packet's ICMP error; null inside a quote. */
    private final IpPacket quoted;

    private final Ipv4Header ipv4 = new Ipv4Header(this);
    private final Ipv6Header ipv6 = new Ipv6Header(this);
    private final TcpHeader tcp = new TcpHeader(this);
    private final UdpHeader udp = new UdpHeader(this);
    private final Icmpv4Message icmpv4 = new Icmpv4Message(this);
    private final Icmpv6Message icmpv6 = new Icmpv6Message(this);
    private final P2pControlMessage p2pControl = new P2pControlMessage(this);

    private ByteBuffer buffer;
    private int start;
    /** The packet length its IP header declares. */
    private int length;
    /** One past the last byte present: {@code start + length}, except in a quote cut short. */
    private int end;
    private int version;
    private int headerLength;
    private int protocol;
    private int transportIndex;
    private FlowProtocol flow = FlowProtocol.UNSUPPORTED;
    private PacketStatus status = PacketStatus.TOO_SHORT;
    /** Inside a quote: how much the words written since the last commit changed the enclosing ICMP checksum. */
    private long quoteDelta;

    /** A parser that accepts packets up to {@link #MAX_LENGTH} bytes. */
    public IpPacket() {
        this(MAX_LENGTH);
    }

    /** A parser that reports longer packets as {@link PacketStatus#TOO_LONG}; the tunnel uses {@link #TUNNEL_MTU}. */
    public IpPacket(int maxLength) {
        this(maxLength, null);
    }

    private IpPacket(int maxLength, IpPacket enclosing) {
        if (maxLength < 20 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be in [20, 65535]: " + maxLength);
        }
        this.maxLength = maxLength;
        this.enclosing = enclosing;
        this.quoted = enclosing == null ? new IpPacket(maxLength, this) : null;
    }

    /**
     * Points this view at the {@code length} bytes from {@code offset} in {@code buffer} and
     * validates them. Bytes after the length the IP header declares (such as WireGuard's zero
     * padding) are ignored: {@link #length()} is the declared length.
     *
     * @throws IllegalArgumentException if the buffer is not big-endian (a programming error)
     * @throws IndexOutOfBoundsException if the range lies outside the buffer's limit
     */
    public PacketStatus wrap(ByteBuffer buffer, int offset, int length) {
        requireOwnPacket();
        Objects.checkFromIndexSize(offset, length, buffer.limit());
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("packet buffers must be big-endian");
        }
        if (length > maxLength) {
            return status = PacketStatus.TOO_LONG;
        }
        return status = parse(buffer, offset, length);
    }

    /** The status of the last {@link #wrap}. */
    public PacketStatus status() {
        return status;
    }

    public ByteBuffer buffer() {
        requireValid();
        return buffer;
    }

    /** Index in {@link #buffer()} of the first byte of the IP header. Moves when NAT46/64 resizes the header. */
    public int offset() {
        requireValid();
        return start;
    }

    /** The packet length declared by the IP header (for a quoted packet possibly more than was quoted). */
    public int length() {
        requireValid();
        return length;
    }

    /** 4 or 6. */
    public int version() {
        requireValid();
        return version;
    }

    public boolean isIpv4() {
        return version() == 4;
    }

    public boolean isIpv6() {
        return version() == 6;
    }

    /** The IPv4 header with options, or the IPv6 header with all extension headers. */
    public int headerLength() {
        requireValid();
        return headerLength;
    }

    /** The upper-layer protocol number: IPv4's protocol field, or the IPv6 next header after all extension headers. */
    public int protocol() {
        requireValid();
        return protocol;
    }

    /** Index in {@link #buffer()} of the upper-layer header (the IP payload). */
    public int payloadIndex() {
        requireValid();
        return transportIndex;
    }

    /** Length of the IP payload as declared by the IP header. */
    public int payloadLength() {
        requireValid();
        return length - headerLength;
    }

    public Ipv4Header ipv4() {
        requireVersion(4);
        return ipv4;
    }

    public Ipv6Header ipv6() {
        requireVersion(6);
        return ipv6;
    }

    /** The source address; allocates, so hot paths use {@link Ipv4Header#source()} or {@link #sourceEquals}. */
    public IpAddress source() {
        return version() == 4 ? new Ipv4Address(ipv4.source()) : new Ipv6Address(ipv6.sourceHigh(), ipv6.sourceLow());
    }

    /** The destination address; allocates, so hot paths use {@link Ipv4Header#destination()} or {@link #destinationEquals}. */
    public IpAddress destination() {
        return version() == 4
                ? new Ipv4Address(ipv4.destination())
                : new Ipv6Address(ipv6.destinationHigh(), ipv6.destinationLow());
    }

    public boolean sourceEquals(IpAddress address) {
        return addressEquals(addressIndex(), address);
    }

    public boolean destinationEquals(IpAddress address) {
        return addressEquals(addressIndex() + addressLength(), address);
    }

    /**
     * Rewrites the source address and incrementally fixes the IPv4 header checksum and the
     * transport checksum over the pseudo-header (TCP, UDP unless its checksum is zero, ICMPv6).
     * In a quoted packet it also fixes the enclosing ICMP error's checksum.
     *
     * @throws IllegalArgumentException if the address is of the other IP version (use {@link FamilyTranslator})
     */
    public void setSource(IpAddress address) {
        setAddress(addressIndex(), address);
    }

    /** Rewrites the destination address; see {@link #setSource}. */
    public void setDestination(IpAddress address) {
        setAddress(addressIndex() + addressLength(), address);
    }

    public boolean isTcp() {
        return status.isValid() && protocol == PROTOCOL_TCP;
    }

    public boolean isUdp() {
        return status.isValid() && protocol == PROTOCOL_UDP;
    }

    public boolean isIcmpv4() {
        return status.isValid() && version == 4 && protocol == PROTOCOL_ICMP;
    }

    public boolean isIcmpv6() {
        return status.isValid() && version == 6 && protocol == PROTOCOL_ICMPV6;
    }

    /** A Firezone p2p-control packet (tunnel.md 4.10): IPv6, next header 255, from {@code ::} to {@code ::}. Never write one to a TUN device. */
    public boolean isP2pControl() {
        return status.isValid() && enclosing == null && isP2pControlHeader();
    }

    public TcpHeader tcp() {
        requireKind(isTcp(), "TCP");
        return tcp;
    }

    public UdpHeader udp() {
        requireKind(isUdp(), "UDP");
        return udp;
    }

    public Icmpv4Message icmpv4() {
        requireKind(isIcmpv4(), "ICMPv4");
        return icmpv4;
    }

    public Icmpv6Message icmpv6() {
        requireKind(isIcmpv6(), "ICMPv6");
        return icmpv6;
    }

    /** The ICMPv4 or ICMPv6 message, whichever this packet carries. */
    public IcmpMessage icmp() {
        requireValid();
        if (isIcmpv4()) {
            return icmpv4;
        }
        requireKind(isIcmpv6(), "ICMP");
        return icmpv6;
    }

    public P2pControlMessage p2pControl() {
        requireKind(isP2pControl(), "p2p-control");
        return p2pControl;
    }

    /**
     * What a NAT keys this packet's flow on: TCP and UDP by port, ICMP and ICMPv6 echo requests
     * and replies by identifier. Everything else, ICMP errors included, is
     * {@link FlowProtocol#UNSUPPORTED} (the reference's "unsupported protocol").
     */
    public FlowProtocol flowProtocol() {
        requireValid();
        return flow;
    }

    /** The TCP or UDP source port, or the ICMP echo identifier. */
    public int sourcePort() {
        return u16(flowFieldOffset(true));
    }

    /** The TCP or UDP destination port, or the ICMP echo identifier (the same field as {@link #sourcePort()}). */
    public int destinationPort() {
        return u16(flowFieldOffset(false));
    }

    /** Rewrites the TCP or UDP source port or the ICMP echo identifier, fixing the transport checksum incrementally. */
    public void setSourcePort(int port) {
        writeTransportWord(flowFieldOffset(true), port);
    }

    /** Rewrites the TCP or UDP destination port or the ICMP echo identifier; see {@link #setSourcePort}. */
    public void setDestinationPort(int port) {
        writeTransportWord(flowFieldOffset(false), port);
    }

    /**
     * Checks the IPv4 header checksum and the TCP, UDP, ICMP or ICMPv6 checksum over the whole
     * packet: {@link PacketStatus#VALID} or the first bad one. A UDP checksum of zero means
     * "none" in IPv4 and is {@link PacketStatus#MISSING_UDP_CHECKSUM} in IPv6. This reads the
     * whole payload, so drivers call it only where the data's origin is not trusted to have
     * checked it already.
     */
    public PacketStatus verifyChecksums() {
        requireValid();
        requireOwnPacket();
        if (version == 4 && !Checksum.verifies(Checksum.sum(buffer, start, headerLength))) {
            return PacketStatus.BAD_IPV4_CHECKSUM;
        }
        int transportLength = length - headerLength;
        return switch (transportChecksumKind()) {
            case PROTOCOL_TCP -> verifiesWithPseudoHeader(transportLength) ? PacketStatus.VALID : PacketStatus.BAD_TCP_CHECKSUM;
            case PROTOCOL_UDP -> verifyUdpChecksum();
            case PROTOCOL_ICMP -> Checksum.verifies(Checksum.sum(buffer, transportIndex, transportLength))
                    ? PacketStatus.VALID
                    : PacketStatus.BAD_ICMP_CHECKSUM;
            case PROTOCOL_ICMPV6 -> verifiesWithPseudoHeader(transportLength) ? PacketStatus.VALID : PacketStatus.BAD_ICMP_CHECKSUM;
            default -> PacketStatus.VALID;
        };
    }

    /**
     * Computes the transport checksum (TCP, UDP, ICMP or ICMPv6) and the IPv4 header checksum
     * from scratch, as NAT46 does for a UDP packet without checksum; rewrites update incrementally.
     */
    public void recomputeChecksums() {
        requireValid();
        requireOwnPacket();
        int transportLength = length - headerLength;
        switch (transportChecksumKind()) {
            case PROTOCOL_TCP -> writeFreshChecksum(16, pseudoHeaderSum(transportLength), transportLength);
            case PROTOCOL_UDP -> {
                int udpLength = udp.length();
                int checksum = writeFreshChecksum(6, pseudoHeaderSum(udpLength), udpLength);
                if (checksum == 0) {
                    buffer.putShort(transportIndex + 6, (short) 0xFFFF);
                }
            }
            case PROTOCOL_ICMP -> writeFreshChecksum(2, 0, transportLength);
            case PROTOCOL_ICMPV6 -> writeFreshChecksum(2, pseudoHeaderSum(transportLength), transportLength);
            default -> { }
        }
        if (version == 4) {
            buffer.putShort(start + 10, (short) 0);
            buffer.putShort(start + 10, (short) Checksum.finish(Checksum.sum(buffer, start, headerLength)));
        }
    }

    @Override
    public String toString() {
        if (!status.isValid()) {
            return "IpPacket[" + status + "]";
        }
        String ports = flow == FlowProtocol.UNSUPPORTED
                ? ""
                : " " + flow + " " + sourcePort() + "->" + destinationPort();
        return "IpPacket[v" + version + " " + source() + "->" + destination() + " protocol " + protocol
                + ports + " length " + length + "]";
    }

    // ---- parsing ----------------------------------------------------------------------------

    /** Lax parse of the packet an ICMP error quotes: its length fields may exceed the bytes quoted. */
    PacketStatus wrapQuoted(ByteBuffer buffer, int offset, int available) {
        return status = parse(buffer, offset, available);
    }

    /** The view of the packet quoted in this packet's ICMP error. */
    IpPacket quotedView() {
        requireOwnPacket();
        return quoted;
    }

    /** Re-points this view at a packet a translation just wrote; the result may exceed {@code maxLength}. */
    PacketStatus rewrapTranslated(int offset, int length) {
        return status = parse(buffer, offset, length);
    }

    private PacketStatus parse(ByteBuffer buffer, int offset, int available) {
        if (quoted != null) {
            quoted.status = PacketStatus.TOO_SHORT;
        }
        this.buffer = buffer;
        this.start = offset;
        this.flow = FlowProtocol.UNSUPPORTED;
        this.quoteDelta = 0;
        if (available < 1) {
            return PacketStatus.TOO_SHORT;
        }
        version = (buffer.get(offset) & 0xFF) >>> 4;
        PacketStatus ipStatus = switch (version) {
            case 4 -> parseIpv4(available);
            case 6 -> parseIpv6(available);
            default -> PacketStatus.UNKNOWN_VERSION;
        };
        return ipStatus.isValid() ? parseTransport() : ipStatus;
    }

    private PacketStatus parseIpv4(int available) {
        if (available < 20) {
            return PacketStatus.TOO_SHORT;
        }
        int ihl = (buffer.get(start) & 0x0F) * 4;
        if (ihl < 20 || ihl > available) {
            return PacketStatus.BAD_IPV4_HEADER_LENGTH;
        }
        int totalLength = buffer.getShort(start + 2) & 0xFFFF;
        if (totalLength < ihl) {
            return PacketStatus.BAD_IPV4_TOTAL_LENGTH;
        }
        if (totalLength > available && enclosing == null) {
            return PacketStatus.TRUNCATED;
        }
        if ((buffer.getShort(start + 6) & Ipv4Header.MORE_FRAGMENTS_AND_OFFSET) != 0) {
            return PacketStatus.FRAGMENT;
        }
        if (ihl > 20 && !Ipv4Header.optionsWellFormed(buffer, start + 20, start + ihl)) {
            return PacketStatus.BAD_IPV4_OPTIONS;
        }
        length = totalLength;
        end = start + Math.min(totalLength, available);
        headerLength = ihl;
        protocol = buffer.get(start + 9) & 0xFF;
        transportIndex = start + ihl;
        return PacketStatus.VALID;
    }

    private PacketStatus parseIpv6(int available) {
        if (available < 40) {
            return PacketStatus.TOO_SHORT;
        }
        int declared = 40 + (buffer.getShort(start + 4) & 0xFFFF);
        if (declared > available && enclosing == null) {
            return PacketStatus.TRUNCATED;
        }
        length = declared;
        end = start + Math.min(declared, available);
        int next = buffer.get(start + 6) & 0xFF;
        int index = start + 40;
        for (boolean first = true; Ipv6Header.isExtensionHeader(next); first = false) {
            if (next == Ipv6Header.FRAGMENT) {
                return PacketStatus.FRAGMENT;
            }
            if ((next == Ipv6Header.HOP_BY_HOP && !first) || index + 2 > end) {
                return PacketStatus.BAD_IPV6_EXTENSION_HEADER;
            }
            int extensionLength = Ipv6Header.extensionHeaderLength(buffer, next, index);
            if (index + extensionLength > end) {
                return PacketStatus.BAD_IPV6_EXTENSION_HEADER;
            }
            next = buffer.get(index) & 0xFF;
            index += extensionLength;
        }
        headerLength = index - start;
        protocol = next;
        transportIndex = index;
        return PacketStatus.VALID;
    }

    private PacketStatus parseTransport() {
        int declared = length - headerLength;
        int present = end - transportIndex;
        boolean isQuote = enclosing != null;
        switch (protocol) {
            case PROTOCOL_TCP -> {
                if (present < (isQuote ? 8 : 20)) {
                    return PacketStatus.TCP_TRUNCATED;
                }
                if (!isQuote) {
                    int dataOffset = (buffer.get(transportIndex + 12) & 0xFF) >>> 4;
                    if (dataOffset < 5) {
                        return PacketStatus.BAD_TCP_HEADER_LENGTH;
                    }
                    if (dataOffset * 4 > declared) {
                        return PacketStatus.TCP_TRUNCATED;
                    }
                }
                flow = FlowProtocol.TCP;
            }
            case PROTOCOL_UDP -> {
                if (present < 8) {
                    return PacketStatus.UDP_TRUNCATED;
                }
                int udpLength = buffer.getShort(transportIndex + 4) & 0xFFFF;
                if (udpLength < 8 || udpLength > declared) {
                    return PacketStatus.BAD_UDP_LENGTH;
                }
                flow = FlowProtocol.UDP;
            }
            case PROTOCOL_ICMP, PROTOCOL_ICMPV6 -> {
                if (transportChecksumKind() == 0) {
                    break;
                }
                if (present < 8) {
                    return PacketStatus.ICMP_TRUNCATED;
                }
                int type = buffer.get(transportIndex) & 0xFF;
                if (version == 4 ? Icmpv4Message.isEcho(type) : Icmpv6Message.isEcho(type)) {
                    flow = FlowProtocol.ICMP_ECHO;
                }
            }
            case P2pControlMessage.PROTOCOL -> {
                if (!isQuote && isP2pControlHeader() && present < P2pControlMessage.HEADER_LENGTH) {
                    return PacketStatus.P2P_CONTROL_TRUNCATED;
                }
            }
            default -> { }
        }
        return PacketStatus.VALID;
    }

    private boolean isP2pControlHeader() {
        return version == 6
                && protocol == P2pControlMessage.PROTOCOL
                && buffer.getLong(start + 8) == 0
                && buffer.getLong(start + 16) == 0
                && buffer.getLong(start + 24) == 0
                && buffer.getLong(start + 32) == 0;
    }

    // ---- rewriting ----------------------------------------------------------------------------

    private void setAddress(int index, IpAddress address) {
        long delta;
        // instanceof rather than a pattern switch: this runs for every packet, and a type switch is an invokedynamic call
        if (address instanceof Ipv4Address v4) {
            requireAddressVersion(4);
            int old = buffer.getInt(index);
            if (old == v4.bits()) {
                return;
            }
            buffer.putInt(index, v4.bits());
            delta = Checksum.replaced32(old, v4.bits());
        } else {
            Ipv6Address v6 = (Ipv6Address) address;
            requireAddressVersion(6);
            long oldHigh = buffer.getLong(index);
            long oldLow = buffer.getLong(index + 8);
            if (oldHigh == v6.high() && oldLow == v6.low()) {
                return;
            }
            buffer.putLong(index, v6.high());
            buffer.putLong(index + 8, v6.low());
            delta = Checksum.replaced64(oldHigh, v6.high()) + Checksum.replaced64(oldLow, v6.low());
        }
        noteQuoteChange(delta);
        if (version == 4) {
            writeChecksumField(start + 10, Checksum.adjust(buffer.getShort(start + 10) & 0xFFFF, delta));
        }
        adjustTransportChecksum(delta, true);
        commitQuoteChange();
    }

    /** Writes a 16-bit field at {@code offset} into the transport header and fixes the transport checksum. */
    void writeTransportWord(int offset, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("not a 16-bit value: " + value);
        }
        requireTransportField(offset, 2);
        int index = transportIndex + offset;
        int old = buffer.getShort(index) & 0xFFFF;
        if (old == value) {
            return;
        }
        buffer.putShort(index, (short) value);
        long delta = Checksum.replaced16(old, value);
        noteQuoteChange(delta);
        adjustTransportChecksum(delta, false);
        commitQuoteChange();
    }

    /**
     * Applies {@code delta} to the transport checksum. A change to the addresses
     * ({@code pseudoHeader}) does not touch ICMPv4, whose checksum has no pseudo-header. A UDP
     * checksum of zero ("none") stays zero. A checksum the quote cut off is left alone.
     */
    void adjustTransportChecksum(long delta, boolean pseudoHeader) {
        int kind = transportChecksumKind();
        if (kind == 0 || (kind == PROTOCOL_ICMP && pseudoHeader)) {
            return;
        }
        int index = transportIndex + checksumOffset(kind);
        if (index + 2 > end) {
            return;
        }
        int old = buffer.getShort(index) & 0xFFFF;
        if (kind == PROTOCOL_UDP && old == 0) {
            return;
        }
        int updated = Checksum.adjust(old, delta);
        writeChecksumField(index, updated == 0 ? zeroChecksum(kind, index) : updated);
    }

    /** Which form of ones'-complement zero a checksum field must hold when the data sums to zero. */
    private int zeroChecksum(int kind, int checksumIndex) {
        return switch (kind) {
            case PROTOCOL_UDP -> 0xFFFF; // RFC 768: 0x0000 means "no checksum"
            case PROTOCOL_ICMP -> Checksum.onlyZeros(buffer, transportIndex, end - transportIndex, checksumIndex) ? 0xFFFF : 0;
            default -> 0;
        };
    }

    private void writeChecksumField(int index, int value) {
        if (enclosing != null) {
            quoteDelta += Checksum.replaced16(buffer.getShort(index) & 0xFFFF, value);
        }
        buffer.putShort(index, (short) value);
    }

    private void noteQuoteChange(long delta) {
        if (enclosing != null) {
            quoteDelta += delta;
        }
    }

    /** Passes what a rewrite inside a quote changed on to the enclosing ICMP error's checksum. */
    private void commitQuoteChange() {
        if (enclosing != null) {
            enclosing.adjustTransportChecksum(quoteDelta, false);
            quoteDelta = 0;
        }
    }

    // ---- checksums ----------------------------------------------------------------------------

    /** The protocol whose checksum this packet's transport carries (TCP, UDP, ICMP, ICMPv6), or 0 for none. */
    private int transportChecksumKind() {
        return switch (protocol) {
            case PROTOCOL_TCP, PROTOCOL_UDP -> protocol;
            case PROTOCOL_ICMP -> version == 4 ? PROTOCOL_ICMP : 0;
            case PROTOCOL_ICMPV6 -> version == 6 ? PROTOCOL_ICMPV6 : 0;
            default -> 0;
        };
    }

    private static int checksumOffset(int kind) {
        return switch (kind) {
            case PROTOCOL_TCP -> 16;
            case PROTOCOL_UDP -> 6;
            default -> 2;
        };
    }

    /** The sum of the pseudo-header (RFC 793 / RFC 8200 section 8.1) for an upper-layer length. */
    long pseudoHeaderSum(int upperLayerLength) {
        long addresses = version == 4 ? Checksum.sum(buffer, start + 12, 8) : Checksum.sum(buffer, start + 8, 32);
        return addresses + protocol + upperLayerLength;
    }

    private boolean verifiesWithPseudoHeader(int upperLayerLength) {
        return Checksum.verifies(pseudoHeaderSum(upperLayerLength) + Checksum.sum(buffer, transportIndex, upperLayerLength));
    }

    private PacketStatus verifyUdpChecksum() {
        if (udp.checksum() == 0) {
            return version == 4 ? PacketStatus.VALID : PacketStatus.MISSING_UDP_CHECKSUM;
        }
        return verifiesWithPseudoHeader(udp.length()) ? PacketStatus.VALID : PacketStatus.BAD_UDP_CHECKSUM;
    }

    private int writeFreshChecksum(int checksumOffset, long pseudoHeader, int coveredLength) {
        int index = transportIndex + checksumOffset;
        buffer.putShort(index, (short) 0);
        int checksum = Checksum.finish(pseudoHeader + Checksum.sum(buffer, transportIndex, coveredLength));
        buffer.putShort(index, (short) checksum);
        return checksum;
    }

    // ---- field access for the views -------------------------------------------------------------

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    int transportIndex() {
        return transportIndex;
    }

    int transportLength() {
        return length - headerLength;
    }

    boolean isQuote() {
        return enclosing != null;
    }

    ByteBuffer rawBuffer() {
        return buffer;
    }

    int u8(int transportOffset) {
        requireTransportField(transportOffset, 1);
        return buffer.get(transportIndex + transportOffset) & 0xFF;
    }

    int u16(int transportOffset) {
        requireTransportField(transportOffset, 2);
        return buffer.getShort(transportIndex + transportOffset) & 0xFFFF;
    }

    long u32(int transportOffset) {
        requireTransportField(transportOffset, 4);
        return buffer.getInt(transportIndex + transportOffset) & 0xFFFF_FFFFL;
    }

    boolean transportFieldPresent(int offset, int size) {
        return transportIndex + offset + size <= end;
    }

    // ---- preconditions ----------------------------------------------------------------------------

    private int addressIndex() {
        return start + (version() == 4 ? 12 : 8);
    }

    private int addressLength() {
        return version == 4 ? 4 : 16;
    }

    private boolean addressEquals(int index, IpAddress address) {
        return switch (address) {
            case Ipv4Address v4 -> version == 4 && buffer.getInt(index) == v4.bits();
            case Ipv6Address v6 -> version == 6 && buffer.getLong(index) == v6.high() && buffer.getLong(index + 8) == v6.low();
        };
    }

    private int flowFieldOffset(boolean source) {
        return switch (flowProtocol()) {
            case TCP, UDP -> source ? 0 : 2;
            case ICMP_ECHO -> 4;
            case UNSUPPORTED -> throw new IllegalStateException("no ports or echo identifier in " + this);
        };
    }

    private void requireValid() {
        if (!status.isValid()) {
            throw new IllegalStateException("the packet is not valid: " + status);
        }
    }

    private void requireVersion(int expected) {
        if (version() != expected) {
            throw new IllegalStateException("not an IPv" + expected + " packet: " + this);
        }
    }

    private void requireAddressVersion(int expected) {
        if (version != expected) {
            throw new IllegalArgumentException("an IPv" + expected + " address cannot go into an IPv" + version
                    + " packet; translate it with FamilyTranslator");
        }
    }

    private void requireKind(boolean matches, String kind) {
        if (!matches) {
            throw new IllegalStateException("not a " + kind + " packet: " + this);
        }
    }

    private void requireOwnPacket() {
        if (enclosing != null) {
            throw new IllegalStateException("not allowed on a packet quoted inside an ICMP error");
        }
    }

    private void requireTransportField(int offset, int size) {
        requireValid();
        if (!transportFieldPresent(offset, size)) {
            throw new IllegalStateException("field at transport offset " + offset + " lies beyond the bytes present");
        }
    }
}
