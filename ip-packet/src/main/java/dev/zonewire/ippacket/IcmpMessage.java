package dev.zonewire.ippacket;

/**
 * An ICMPv4 or ICMPv6 message: the 8-byte header shared by both and, for error messages, the
 * packet they quote. A view owned by its {@link IpPacket}.
 */
public abstract sealed class IcmpMessage permits Icmpv4Message, Icmpv6Message {

    final IpPacket packet;

    IcmpMessage(IpPacket packet) {
        this.packet = packet;
    }

    public int type() {
        return packet.u8(0);
    }

    public int code() {
        return packet.u8(1);
    }

    public int checksum() {
        return packet.u16(2);
    }

    /** Bytes 4-7, whose meaning depends on the type (identifier and sequence, MTU, pointer, unused). */
    public int restOfHeader() {
        return (int) packet.u32(4);
    }

    public abstract boolean isEchoRequest();

    public abstract boolean isEchoReply();

    /** An error message, which quotes (the start of) the packet that caused it. */
    public abstract boolean isError();

    /** The echo identifier (meaningful for echo requests and replies). */
    public int identifier() {
        return packet.u16(4);
    }

    /** The echo sequence number (meaningful for echo requests and replies). */
    public int sequence() {
        return packet.u16(6);
    }

    /** Index in the packet's buffer of the body after the 8-byte header (echo data, or the quoted packet). */
    public int bodyIndex() {
        return packet.transportIndex() + 8;
    }

    public int bodyLength() {
        return packet.transportLength() - 8;
    }

    /**
     * Parses the packet this error quotes, leniently: its length fields may claim more than was
     * quoted, but its IP header must be complete and its TCP, UDP or ICMP header present for at
     * least 8 bytes (RFC 792 guarantees that much). On {@link PacketStatus#VALID},
     * {@link #quotedPacket()} reads and rewrites it; every rewrite of the quote also fixes this
     * message's checksum. Not available inside a quote.
     */
    public PacketStatus parseQuotedPacket() {
        if (!isError()) {
            throw new IllegalStateException("only ICMP errors quote a packet; type " + type());
        }
        return packet.quotedView().wrapQuoted(packet.rawBuffer(), bodyIndex(), packet.end() - bodyIndex());
    }

    /** The quoted packet after {@link #parseQuotedPacket()} returned {@link PacketStatus#VALID}. */
    public IpPacket quotedPacket() {
        IpPacket quoted = packet.quotedView();
        if (!quoted.status().isValid() || quoted.rawBuffer() != packet.rawBuffer() || quoted.start() != bodyIndex()) {
            throw new IllegalStateException("call parseQuotedPacket() first and check its status");
        }
        return quoted;
    }
}
