package dev.zonewire.ippacket;

/** The TCP header of a valid packet (RFC 9293). A view owned by its {@link IpPacket}. */
public final class TcpHeader {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private final IpPacket packet;

    TcpHeader(IpPacket packet) {
        this.packet = packet;
    }

    public int sourcePort() {
        return packet.u16(0);
    }

    public int destinationPort() {
        return packet.u16(2);
    }

    public long sequenceNumber() {
        return packet.u32(4);
    }

    public long acknowledgmentNumber() {
        return packet.u32(8);
    }

    /** The data offset in bytes: 20 plus the options. */
    public int headerLength() {
        return (packet.u8(12) >>> 4) * 4;
    }

    /** The flag bits {@link #FIN} to {@link #CWR}. */
    public int flags() {
        return packet.u8(13);
    }

    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    public int window() {
        return packet.u16(14);
    }

    public int checksum() {
        return packet.u16(16);
    }

    public int urgentPointer() {
        return packet.u16(18);
    }

    /** Index in the packet's buffer of the first byte of TCP data. */
    public int payloadIndex() {
        return packet.transportIndex() + headerLength();
    }

    public int payloadLength() {
        return packet.transportLength() - headerLength();
    }

    /** Rewrites the source port and fixes the checksum incrementally. */
    public void setSourcePort(int port) {
        packet.writeTransportWord(0, port);
    }

    /** Rewrites the destination port and fixes the checksum incrementally. */
    public void setDestinationPort(int port) {
        packet.writeTransportWord(2, port);
    }
}
