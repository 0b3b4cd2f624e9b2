package dev.zonewire.ippacket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Buffers laid out as drivers lay them out: headroom for NAT46 before the packet, spare room after it. */
final class TestPackets {

    static final int HEADROOM = IpPacket.NAT46_HEADROOM;
    static final int BUFFER_SIZE = 1336;

    private TestPackets() {}

    static ByteBuffer buffer() {
        return ByteBuffer.allocate(BUFFER_SIZE);
    }

    /** A buffer holding {@code packet} at offset {@link #HEADROOM}. */
    static ByteBuffer withHeadroom(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(BUFFER_SIZE, HEADROOM + packet.length + 64));
        buffer.put(HEADROOM, packet);
        return buffer;
    }

    /** Parses hex at offset {@link #HEADROOM} of a fresh buffer; fails the test if it is not valid. */
    static IpPacket parse(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        IpPacket packet = new IpPacket();
        PacketStatus status = packet.wrap(withHeadroom(bytes), HEADROOM, bytes.length);
        if (!status.isValid()) {
            throw new AssertionError("test packet does not parse: " + status);
        }
        return packet;
    }

    /** The packet's bytes, from its offset to its declared length. */
    static byte[] bytesOf(IpPacket packet) {
        byte[] bytes = new byte[packet.length()];
        packet.buffer().get(packet.offset(), bytes);
        return bytes;
    }

    static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return bytes;
    }

    static ByteBuffer payload(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    static Ipv4Address v4(String literal) {
        return Ipv4Address.parse(literal);
    }

    static Ipv6Address v6(String literal) {
        return Ipv6Address.parse(literal);
    }
}
