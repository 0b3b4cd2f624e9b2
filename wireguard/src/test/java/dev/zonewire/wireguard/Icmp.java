package dev.zonewire.wireguard;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** IPv4 ICMP echo packets, with their checksums, for tests against a real network stack. */
final class Icmp {
    static final int ECHO_REPLY = 0;
    static final int ECHO_REQUEST = 8;

    static byte[] echo(int type, InetAddress source, InetAddress destination, int identifier, int sequence, byte[] payload) {
        int length = 20 + 8 + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(length);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) sequence).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(source.getAddress()).put(destination.getAddress());
        packet.putShort(10, checksum(packet.array(), 0, 20));
        packet.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) identifier).putShort((short) sequence)
                .put(payload);
        packet.putShort(22, checksum(packet.array(), 20, length - 20));
        return packet.array();
    }

    /** The echo reply a host sends back for {@code request}. */
    static byte[] replyTo(byte[] request) {
        ByteBuffer in = ByteBuffer.wrap(request);
        int headerLength = (request[0] & 0xf) * 4;
        byte[] payload = java.util.Arrays.copyOfRange(request, headerLength + 8, in.getShort(2) & 0xffff);
        return echo(ECHO_REPLY, address(request, 16), address(request, 12),
                in.getShort(headerLength + 4) & 0xffff, in.getShort(headerLength + 6) & 0xffff, payload);
    }

    static boolean isEcho(byte[] packet, int type) {
        return packet.length >= 28 && (packet[0] >> 4) == 4 && packet[9] == 1 && packet[(packet[0] & 0xf) * 4] == type;
    }

    static InetAddress address(byte[] packet, int offset) {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(packet, offset, offset + 4));
        } catch (java.net.UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The Internet checksum (RFC 1071). */
    private static short checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((bytes[offset + i] & 0xff) << 8) | (bytes[offset + i + 1] & 0xff);
        }
        if ((length & 1) == 1) {
            sum += (bytes[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    private Icmp() {}
}
