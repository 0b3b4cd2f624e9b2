package dev.zonewire.ippacket;

/**
 * A Firezone p2p-control message (tunnel.md 4.10): the payload of an IPv6 packet with next header
 * 255 from {@code ::} to {@code ::}, an 8-byte header whose first byte is the event type,
 * then a JSON body. A view owned by its {@link IpPacket}.
 */
public final class P2pControlMessage {

    /** The IPv6 next header that marks the control protocol; 255 is reserved, so real traffic never carries it. */
    public static final int PROTOCOL = 0xFF;
    public static final int HEADER_LENGTH = 8;
    /** Client to gateway: {@code {"resource","domain","proxy_ips"}}. */
    public static final int ASSIGNED_IPS = 0;
    /** Gateway to client: {@code {"resource","domain","status"}}. */
    public static final int DOMAIN_STATUS = 1;

    private final IpPacket packet;

    P2pControlMessage(IpPacket packet) {
        this.packet = packet;
    }

    public int eventType() {
        return packet.u8(0);
    }

    /** Index in the packet's buffer of the JSON body. */
    public int bodyIndex() {
        return packet.transportIndex() + HEADER_LENGTH;
    }

    public int bodyLength() {
        return packet.transportLength() - HEADER_LENGTH;
    }
}
