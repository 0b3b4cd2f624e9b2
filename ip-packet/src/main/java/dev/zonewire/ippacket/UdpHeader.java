package dev.zonewire.ippacket;

/** The UDP header of a valid packet (RFC 768). A view owned by its {@link IpPacket}. */
public final class UdpHeader {

    private final IpPacket packet;

    UdpHeader(IpPacket packet) {
        this.packet = packet;
    }

    public int sourcePort() {
        return packet.u16(0);
    }

    public int destinationPort() {
        return packet.u16(2);
    }

    /** The UDP length field: header plus data. Bytes of the IP payload after it are not part of the datagram. */
    public int length() {
        return packet.u16(4);
    }

    /** Zero means the sender computed none (allowed in IPv4 only). */
    public int checksum() {
        return packet.u16(6);
    }

    /** Index in the packet's buffer of the first byte of UDP data. */
    public int payloadIndex() {
        return packet.transportIndex() + 8;
    }

    public int payloadLength() {
        return length() - 8;
    }

    /** Rewrites the source port and fixes the checksum incrementally (a zero checksum stays zero). */
    public void setSourcePort(int port) {
        packet.writeTransportWord(0, port);
    }

    /** Rewrites the destination port and fixes the checksum incrementally (a zero checksum stays zero). */
    public void setDestinationPort(int port) {
        packet.writeTransportWord(2, port);
    }
}
