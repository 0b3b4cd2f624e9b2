package dev.zonewire.tunnel.sim;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.TcpHeader;
import java.nio.ByteBuffer;

/**
 * One packet the simulated application sends through the tunnel, carrying a unique id as its first 8
 * payload bytes; the site network echoes it back with addresses and ports swapped.
 */
record Probe(long id, Protocol protocol, IpAddress source, int sourcePort, IpAddress destination, int destinationPort) {

    enum Protocol {
        ICMP,
        UDP,
        TCP
    }

    byte[] packet() {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        ByteBuffer payload = ByteBuffer.allocate(16).putLong(0, id);
        int length = switch (protocol) {
            case ICMP -> PacketBuilder.icmpEchoRequest(buffer, 0, source, destination, sourcePort, 1, payload);
            case UDP -> PacketBuilder.udp(buffer, 0, source, destination, sourcePort, destinationPort, payload);
            case TCP -> PacketBuilder.tcp(buffer, 0, source, destination, sourcePort, destinationPort, id, 0,
                    TcpHeader.PSH | TcpHeader.ACK, 65535, payload);
        };
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }

    /** The probe id a packet carries (an echo, a UDP or TCP payload), or -1. */
    static long idOf(IpPacket packet) {
        ByteBuffer buffer = packet.buffer();
        int index;
        int length;
        if (packet.isUdp()) {
            index = packet.udp().payloadIndex();
            length = packet.udp().payloadLength();
        } else if (packet.isTcp()) {
            index = packet.tcp().payloadIndex();
            length = packet.tcp().payloadLength();
        } else if ((packet.isIcmpv4() || packet.isIcmpv6()) && (packet.icmp().isEchoRequest() || packet.icmp().isEchoReply())) {
            index = packet.icmp().bodyIndex();
            length = packet.icmp().bodyLength();
        } else {
            return -1;
        }
        return length >= 8 && index + 8 <= buffer.limit() ? buffer.getLong(index) : -1;
    }

    static Protocol protocolOf(IpPacket packet) {
        if (packet.isUdp()) {
            return Protocol.UDP;
        }
        return packet.isTcp() ? Protocol.TCP : Protocol.ICMP;
    }

    @Override
    public String toString() {
        return protocol + " #" + id + " " + source + ":" + sourcePort + " -> " + destination + ":" + destinationPort;
    }
}
