package dev.zonewire.ippacket;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes complete packets, checksums included, into a caller's buffer and returns their length.
 * The IP version follows the addresses. Like the reference's {@code make} module: TTL or hop limit
 * 64; IPv4 identification 0 with don't-fragment set. Payloads are read from their position to
 * their limit without moving either.
 */
public final class PacketBuilder {

    public static final int DEFAULT_TTL = 64;

    private PacketBuilder() {}

    public static int udp(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                          int sourcePort, int destinationPort, ByteBuffer payload) {
        int udpLength = 8 + payload.remaining();
        requireUnsigned16("UDP length", udpLength);
        int index = writeIpHeader(out, offset, source, destination, IpPacket.PROTOCOL_UDP, udpLength);
        out.putShort(index, (short) requireUnsigned16("source port", sourcePort));
        out.putShort(index + 2, (short) requireUnsigned16("destination port", destinationPort));
        out.putShort(index + 4, (short) udpLength);
        out.putShort(index + 6, (short) 0);
        out.put(index + 8, payload, payload.position(), payload.remaining());
        int checksum = transportChecksum(out, index, source, destination, IpPacket.PROTOCOL_UDP, udpLength);
        out.putShort(index + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
        return index + udpLength - offset;
    }

    /** A TCP segment without options; {@code flags} are {@link TcpHeader#SYN} and its siblings. */
    public static int tcp(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                          int sourcePort, int destinationPort, long sequenceNumber, long acknowledgmentNumber,
                          int flags, int window, ByteBuffer payload) {
        int tcpLength = 20 + payload.remaining();
        int index = writeIpHeader(out, offset, source, destination, IpPacket.PROTOCOL_TCP, tcpLength);
        out.putShort(index, (short) requireUnsigned16("source port", sourcePort));
        out.putShort(index + 2, (short) requireUnsigned16("destination port", destinationPort));
        out.putInt(index + 4, (int) sequenceNumber);
        out.putInt(index + 8, (int) acknowledgmentNumber);
        out.put(index + 12, (byte) (5 << 4));
        out.put(index + 13, (byte) requireRange("flags", flags, 0xFF));
        out.putShort(index + 14, (short) requireUnsigned16("window", window));
        out.putInt(index + 16, 0);
        out.put(index + 20, payload, payload.position(), payload.remaining());
        out.putShort(index + 16, (short) transportChecksum(out, index, source, destination, IpPacket.PROTOCOL_TCP, tcpLength));
        return index + tcpLength - offset;
    }

    /** An ICMP echo request (IPv4) or ICMPv6 echo request (IPv6). */
    public static int icmpEchoRequest(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                                      int identifier, int sequence, ByteBuffer payload) {
        int type = source instanceof Ipv4Address ? Icmpv4Message.ECHO_REQUEST : Icmpv6Message.ECHO_REQUEST;
        return icmpEcho(out, offset, source, destination, type, identifier, sequence, payload);
    }

    /** An ICMP echo reply (IPv4) or ICMPv6 echo reply (IPv6). */
    public static int icmpEchoReply(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                                    int identifier, int sequence, ByteBuffer payload) {
        int type = source instanceof Ipv4Address ? Icmpv4Message.ECHO_REPLY : Icmpv6Message.ECHO_REPLY;
        return icmpEcho(out, offset, source, destination, type, identifier, sequence, payload);
    }

    /**
     * A p2p-control packet (tunnel.md 4.10): IPv6 from {@code ::} to {@code ::}, next header 255,
     * hop limit 0; an 8-byte header holding the event type then zeros; the JSON body.
     */
    public static int p2pControl(ByteBuffer out, int offset, int eventType, ByteBuffer body) {
        int payloadLength = P2pControlMessage.HEADER_LENGTH + body.remaining();
        requireUnsigned16("p2p-control payload length", payloadLength);
        Objects.checkFromIndexSize(offset, 40 + payloadLength, out.limit());
        writeIpv6Header(out, offset, 0, payloadLength, P2pControlMessage.PROTOCOL, 0, 0, 0, 0, 0);
        int index = offset + 40;
        out.putLong(index, 0);
        out.put(index, (byte) requireRange("event type", eventType, 0xFF));
        out.put(index + P2pControlMessage.HEADER_LENGTH, body, body.position(), body.remaining());
        return 40 + payloadLength;
    }

    private static int icmpEcho(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                                int type, int identifier, int sequence, ByteBuffer payload) {
        int protocol = source instanceof Ipv4Address ? IpPacket.PROTOCOL_ICMP : IpPacket.PROTOCOL_ICMPV6;
        int icmpLength = 8 + payload.remaining();
        int index = writeIpHeader(out, offset, source, destination, protocol, icmpLength);
        out.putShort(index, (short) (type << 8));
        out.putShort(index + 2, (short) 0);
        out.putShort(index + 4, (short) requireUnsigned16("identifier", identifier));
        out.putShort(index + 6, (short) requireUnsigned16("sequence", sequence));
        out.put(index + 8, payload, payload.position(), payload.remaining());
        out.putShort(index + 2, (short) transportChecksum(out, index, source, destination, protocol, icmpLength));
        return index + icmpLength - offset;
    }

    /** Writes the IP header for {@code payloadLength} bytes of {@code protocol}; returns the index of the payload. */
    private static int writeIpHeader(ByteBuffer out, int offset, IpAddress source, IpAddress destination,
                                     int protocol, int payloadLength) {
        switch (source) {
            case Ipv4Address v4Source when destination instanceof Ipv4Address v4Destination -> {
                int totalLength = 20 + payloadLength;
                requireUnsigned16("IPv4 total length", totalLength);
                Objects.checkFromIndexSize(offset, totalLength, out.limit());
                writeIpv4Header(out, offset, 0, totalLength, DEFAULT_TTL, protocol, v4Source.bits(), v4Destination.bits());
                return offset + 20;
            }
            case Ipv6Address v6Source when destination instanceof Ipv6Address v6Destination -> {
                requireUnsigned16("IPv6 payload length", payloadLength);
                Objects.checkFromIndexSize(offset, 40 + payloadLength, out.limit());
                writeIpv6Header(out, offset, 0, payloadLength, protocol, DEFAULT_TTL,
                        v6Source.high(), v6Source.low(), v6Destination.high(), v6Destination.low());
                return offset + 40;
            }
            default -> throw new IllegalArgumentException("source and destination must be of the same IP version: "
                    + source + ", " + destination);
        }
    }

    /** A 20-byte IPv4 header without options, don't-fragment set, identification 0, checksum computed. */
    static void writeIpv4Header(ByteBuffer out, int offset, int typeOfService, int totalLength, int ttl, int protocol,
                                int source, int destination) {
        out.put(offset, (byte) 0x45);
        out.put(offset + 1, (byte) typeOfService);
        out.putShort(offset + 2, (short) totalLength);
        out.putShort(offset + 4, (short) 0);
        out.putShort(offset + 6, (short) Ipv4Header.DONT_FRAGMENT);
        out.put(offset + 8, (byte) ttl);
        out.put(offset + 9, (byte) protocol);
        out.putShort(offset + 10, (short) 0);
        out.putInt(offset + 12, source);
        out.putInt(offset + 16, destination);
        out.putShort(offset + 10, (short) Checksum.finish(Checksum.sum(out, offset, 20)));
    }

    /** A 40-byte IPv6 header with flow label 0. */
    static void writeIpv6Header(ByteBuffer out, int offset, int trafficClass, int payloadLength, int nextHeader,
                                int hopLimit, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        out.putInt(offset, 6 << 28 | (trafficClass & 0xFF) << 20);
        out.putShort(offset + 4, (short) payloadLength);
        out.put(offset + 6, (byte) nextHeader);
        out.put(offset + 7, (byte) hopLimit);
        out.putLong(offset + 8, sourceHigh);
        out.putLong(offset + 16, sourceLow);
        out.putLong(offset + 24, destinationHigh);
        out.putLong(offset + 32, destinationLow);
    }

    /** The checksum of the transport message at {@code index}, over the pseudo-header unless it is ICMPv4. */
    private static int transportChecksum(ByteBuffer out, int index, IpAddress source, IpAddress destination,
                                         int protocol, int length) {
        long pseudoHeader = protocol == IpPacket.PROTOCOL_ICMP
                ? 0
                : addressSum(source) + addressSum(destination) + protocol + length;
        return Checksum.finish(pseudoHeader + Checksum.sum(out, index, length));
    }

    static long addressSum(IpAddress address) {
        return switch (address) {
            case Ipv4Address v4 -> Checksum.sum32(v4.bits());
            case Ipv6Address v6 -> Checksum.sum64(v6.high()) + Checksum.sum64(v6.low());
        };
    }

    private static int requireUnsigned16(String what, int value) {
        return requireRange(what, value, 0xFFFF);
    }

    private static int requireRange(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " out of range [0, " + max + "]: " + value);
        }
        return value;
    }
}
