package dev.zonewire.wireguard;

import java.nio.ByteBuffer;

/** Minimal IP packets that carry a sequence number, so a test can tell them apart. */
final class TestPackets {
    /** An IPv4/UDP-shaped packet of {@code totalLength} bytes whose payload repeats {@code sequence}. */
    static byte[] ipv4(int sequence, int totalLength) {
        ByteBuffer packet = ByteBuffer.allocate(totalLength);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) sequence)
                .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 1, 0, 1}).put(new byte[] {10, 1, 0, 2});
        while (packet.hasRemaining()) {
            packet.put((byte) (sequence + packet.position()));
        }
        return packet.array();
    }

    static byte[] ipv6(int sequence, int totalLength) {
        ByteBuffer packet = ByteBuffer.allocate(totalLength);
        packet.putInt(0x60000000).putShort((short) (totalLength - 40)).put((byte) 17).put((byte) 64);
        packet.put(new byte[16]).put(new byte[16]);
        packet.put(23, (byte) 1).put(39, (byte) 2);
        while (packet.hasRemaining()) {
            packet.put((byte) (sequence * 3 + packet.position()));
        }
        return packet.array();
    }

    /** The sequence number of a packet made by {@link #ipv4}. */
    static int sequenceOf(byte[] ipv4Packet) {
        return ByteBuffer.wrap(ipv4Packet).getShort(4) & 0xffff;
    }

    private TestPackets() {}
}
