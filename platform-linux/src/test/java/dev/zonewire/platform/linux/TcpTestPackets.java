package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.INT_BE;
import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.zonewire.ippacket.Checksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds TCP packets for the offload tests: ordinary segments with correct checksums, and
 * super-packets with the virtio-net header and partial checksum a TSO-capable kernel writes.
 */
final class TcpTestPackets {
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int SYN = 0x02;
    static final int FIN = 0x01;

    private static final byte[] SOURCE_V4 = {10, 81, 0, 1};
    private static final byte[] DESTINATION_V4 = {10, 81, 0, 2};
    private static final byte[] SOURCE_V6 = {(byte) 0xfd, 0, 0, (byte) 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DESTINATION_V6 = {(byte) 0xfd, 0, 0, (byte) 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    /** What distinguishes one segment; the addresses are fixed. */
    record Segment(boolean ipv4, int sourcePort, int ipId, long sequence, int flags, byte[] options,
            byte[] payload) {
        Segment withSequence(long sequence) {
            return new Segment(ipv4, sourcePort, ipId, sequence, flags, options, payload);
        }

        Segment withFlags(int flags) {
            return new Segment(ipv4, sourcePort, ipId, sequence, flags, options, payload);
        }

        Segment withPayload(byte[] payload) {
            return new Segment(ipv4, sourcePort, ipId, sequence, flags, options, payload);
        }

        Segment withSourcePort(int sourcePort) {
            return new Segment(ipv4, sourcePort, ipId, sequence, flags, options, payload);
        }

        int headersLength() {
            return (ipv4 ? 20 : 40) + 20 + options.length;
        }
    }

    private TcpTestPackets() {
    }

    /** A complete segment with valid checksums, written at {@code destination}; returns its length. */
    static int write(Segment segment, MemorySegment destination) {
        int length = writeHeaders(segment, destination, segment.headersLength() + segment.payload().length);
        int ipLength = segment.ipv4() ? 20 : 40;
        long sum = Checksums.pseudoHeader(destination, segment.ipv4(), 6, length - ipLength);
        destination.set(SHORT_BE, ipLength + 16, Checksums.complement(Checksums.add(destination, ipLength,
                length - ipLength, sum)));
        return length;
    }

    /**
     * A super-packet of {@code segment} (whose payload spans many segments of
     * {@code segmentSize}) after its virtio-net header, as the kernel writes it with TSO; returns
     * the packet length, without the header.
     */
    static int writeSuperPacket(Segment segment, int segmentSize, MemorySegment destination) {
        MemorySegment packet = destination.asSlice(GsoSplitter.VNET_HEADER_SIZE);
        int length = writeHeaders(segment, packet, segment.headersLength() + segment.payload().length);
        int ipLength = segment.ipv4() ? 20 : 40;
        int pseudo = Checksum.fold(Checksums.pseudoHeader(packet, segment.ipv4(), 6, length - ipLength));
        packet.set(SHORT_BE, ipLength + 16, (short) pseudo);
        ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED;
        destination.set(JAVA_BYTE, 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        destination.set(JAVA_BYTE, 1, (byte) (segment.ipv4() ? GsoSplitter.GSO_TCPV4 : GsoSplitter.GSO_TCPV6));
        destination.set(le, 2, (short) segment.headersLength());
        destination.set(le, 4, (short) segmentSize);
        destination.set(le, 6, (short) ipLength);
        destination.set(le, 8, (short) 16);
        return length;
    }

    static boolean ipv4HeaderValid(MemorySegment packet) {
        return Checksum.fold(Checksums.add(packet, 0, 20, 0)) == 0xffff;
    }

    static boolean tcpChecksumValid(MemorySegment packet, int length) {
        boolean ipv4 = (packet.get(JAVA_BYTE, 0) & 0xf0) == 0x40;
        int ipLength = ipv4 ? 20 : 40;
        long sum = Checksums.pseudoHeader(packet, ipv4, 6, length - ipLength);
        return Checksum.fold(Checksums.add(packet, ipLength, length - ipLength, sum)) == 0xffff;
    }

    private static int writeHeaders(Segment segment, MemorySegment packet, int length) {
        int ipLength = segment.ipv4() ? 20 : 40;
        packet.asSlice(0, segment.headersLength()).fill((byte) 0);
        if (segment.ipv4()) {
            packet.set(JAVA_BYTE, 0, (byte) 0x45);
            packet.set(SHORT_BE, 2, (short) length);
            packet.set(SHORT_BE, 4, (short) segment.ipId());
            packet.set(SHORT_BE, 6, (short) 0x4000);
            packet.set(JAVA_BYTE, 8, (byte) 64);
            packet.set(JAVA_BYTE, 9, (byte) 6);
            MemorySegment.copy(SOURCE_V4, 0, packet, JAVA_BYTE, 12, 4);
            MemorySegment.copy(DESTINATION_V4, 0, packet, JAVA_BYTE, 16, 4);
            packet.set(SHORT_BE, 10, Checksums.complement(Checksums.add(packet, 0, 20, 0)));
        } else {
            packet.set(INT_BE, 0, 0x60000000);
            packet.set(SHORT_BE, 4, (short) (length - 40));
            packet.set(JAVA_BYTE, 6, (byte) 6);
            packet.set(JAVA_BYTE, 7, (byte) 64);
            MemorySegment.copy(SOURCE_V6, 0, packet, JAVA_BYTE, 8, 16);
            MemorySegment.copy(DESTINATION_V6, 0, packet, JAVA_BYTE, 24, 16);
        }
        int tcp = ipLength;
        packet.set(SHORT_BE, tcp, (short) segment.sourcePort());
        packet.set(SHORT_BE, tcp + 2, (short) 5201);
        packet.set(INT_BE, tcp + 4, (int) segment.sequence());
        packet.set(INT_BE, tcp + 8, 0x01020304);
        packet.set(JAVA_BYTE, tcp + 12, (byte) (((20 + segment.options().length) / 4) << 4));
        packet.set(JAVA_BYTE, tcp + 13, (byte) segment.flags());
        packet.set(SHORT_BE, tcp + 14, (short) 502);
        MemorySegment.copy(segment.options(), 0, packet, JAVA_BYTE, tcp + 20, segment.options().length);
        MemorySegment.copy(segment.payload(), 0, packet, JAVA_BYTE, segment.headersLength(), segment.payload().length);
        return length;
    }
}
