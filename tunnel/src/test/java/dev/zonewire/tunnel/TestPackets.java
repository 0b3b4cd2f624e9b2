package dev.zonewire.tunnel;

import dev.zonewire.ippacket.IcmpErrors;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.ippacket.TcpHeader;
import java.nio.ByteBuffer;

/**
 * Packets for tests, each in a buffer of its own with {@link #HEADROOM} free bytes before it (enough for
 * NAT46 and for snownet's headers) and room after it, wrapped in a fresh {@link IpPacket} view.
 */
public final class TestPackets {
    public static final int HEADROOM = 64;
    private static final int BUFFER = HEADROOM + 1400 + 64;

    private TestPackets() {}

    public static IpPacket tcp(String source, int sourcePort, String destination, int destinationPort) {
        return tcp(source, sourcePort, destination, destinationPort, TcpHeader.SYN, new byte[0]);
    }

    public static IpPacket tcp(String source, int sourcePort, String destination, int destinationPort, int flags, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        return wrap(buffer, PacketBuilder.tcp(buffer, HEADROOM, IpAddress.parse(source), IpAddress.parse(destination), sourcePort,
                destinationPort, 1, 0, flags, 65535, ByteBuffer.wrap(payload)));
    }

    public static IpPacket udp(String source, int sourcePort, String destination, int destinationPort) {
        return udp(source, sourcePort, destination, destinationPort, new byte[8]);
    }

    public static IpPacket udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        return wrap(buffer, PacketBuilder.udp(buffer, HEADROOM, IpAddress.parse(source), IpAddress.parse(destination), sourcePort,
                destinationPort, ByteBuffer.wrap(payload)));
    }

    public static IpPacket echoRequest(String source, String destination, int identifier, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        return wrap(buffer, PacketBuilder.icmpEchoRequest(buffer, HEADROOM, IpAddress.parse(source), IpAddress.parse(destination),
                identifier, sequence, ByteBuffer.allocate(16)));
    }

    public static IpPacket echoReply(String source, String destination, int identifier, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        return wrap(buffer, PacketBuilder.icmpEchoReply(buffer, HEADROOM, IpAddress.parse(source), IpAddress.parse(destination),
                identifier, sequence, ByteBuffer.allocate(16)));
    }

    /** An IPv4 packet of another IP protocol (e.g. 47, GRE) with a few bytes of payload. */
    public static IpPacket ipv4Protocol(String source, String destination, int protocol) {
        IpPacket udp = udp(source, 1, destination, 2);
        udp.buffer().put(HEADROOM + 9, (byte) protocol);
        IpPacket packet = wrap(udp.buffer(), udp.length());
        packet.recomputeChecksums();
        return packet;
    }

    /** The ICMP port unreachable a host at {@code about}'s destination would send about it. */
    public static IpPacket portUnreachable(IpPacket about) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        return wrap(buffer, IcmpErrors.destinationUnreachable(about, IcmpErrors.Unreachable.PORT_UNREACHABLE, buffer, HEADROOM));
    }

    /** A copy of the packet's bytes. */
    public static byte[] bytes(IpPacket packet) {
        byte[] copy = new byte[packet.length()];
        packet.buffer().get(packet.offset(), copy);
        return copy;
    }

    /** Wraps bytes into a fresh buffer with headroom. */
    public static IpPacket of(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADROOM + bytes.length + 64);
        buffer.put(HEADROOM, bytes);
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        packet.wrap(buffer, HEADROOM, bytes.length);
        return packet;
    }

    private static IpPacket wrap(ByteBuffer buffer, int length) {
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        PacketStatus status = packet.wrap(buffer, HEADROOM, length);
        if (!status.isValid()) {
            throw new AssertionError("test packet does not parse: " + status);
        }
        return packet;
    }
}
