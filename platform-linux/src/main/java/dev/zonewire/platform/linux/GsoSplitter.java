package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.INT_BE;
import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Cuts one packet read from a TUN device with {@code IFF_VNET_HDR} into the IP packets it stands
 * for: a TCP (TSO) or UDP (USO) super-packet becomes one packet per segment with its own lengths,
 * sequence number, IPv4 identification and checksums; a plain packet whose checksum the kernel
 * left for us to finish ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}) gets it finished.
 *
 * <p>The input is the virtio-net header followed by the packet, as the kernel writes them. The
 * kernel is trusted to produce sane packets, but every offset is checked anyway: an inconsistent
 * one makes {@link #prepare} return false and the packet is dropped, never read out of bounds.
 */
final class GsoSplitter {
    static final int VNET_HEADER_SIZE = 10;
    static final int FLAG_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_UDP_L4 = 5;
    static final int GSO_ECN = 0x80;

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private final MemorySegment header;
    private final MemorySegment packet;
    private int length;
    private boolean ipv4;
    private int gsoType;
    private boolean needsChecksum;
    private int transportOffset;
    private int checksumOffset;
    private int headersLength;
    private int segmentSize;
    private int segmentCount;

    /** A splitter for what the kernel writes into {@code buffer}: virtio-net header, then packet. */
    GsoSplitter(MemorySegment buffer) {
        this.header = buffer.asSlice(0, VNET_HEADER_SIZE);
        this.packet = buffer.asSlice(VNET_HEADER_SIZE);
    }

    /**
     * Reads the header of the packet of {@code length} bytes now in the buffer and returns whether
     * the packet can be cut; {@link #segmentCount()} then says into how many packets.
     */
    boolean prepare(int length) {
        if (length < 20 || length > packet.byteSize()) {
            return false;
        }
        this.length = length;
        int version = (packet.get(JAVA_BYTE, 0) & 0xf0) >>> 4;
        if (version != 4 && version != 6 || version == 6 && length < 40) {
            return false;
        }
        ipv4 = version == 4;
        needsChecksum = (header.get(JAVA_BYTE, 0) & FLAG_NEEDS_CSUM) != 0;
        gsoType = header.get(JAVA_BYTE, 1) & 0xff & ~GSO_ECN;
        segmentSize = header.get(SHORT_LE, 4) & 0xffff;
        transportOffset = header.get(SHORT_LE, 6) & 0xffff;
        checksumOffset = transportOffset + (header.get(SHORT_LE, 8) & 0xffff);
        if (gsoType == GSO_NONE) {
            segmentCount = 1;
            return !needsChecksum || transportOffset >= 20 && checksumOffset + 2 <= length;
        }
        return prepareSegments();
    }

    int segmentCount() {
        return segmentCount;
    }

    /**
     * Writes packet number {@code index} into {@code destination} and returns its length, or -1
     * when it does not fit.
     */
    int writeSegment(int index, MemorySegment destination) {
        if (gsoType == GSO_NONE) {
            return writeWhole(destination);
        }
        int payloadStart = headersLength + index * segmentSize;
        int payloadLength = Math.min(segmentSize, length - payloadStart);
        int segmentLength = headersLength + payloadLength;
        if (segmentLength > destination.byteSize()) {
            return -1;
        }
        MemorySegment.copy(packet, 0, destination, 0, headersLength);
        MemorySegment.copy(packet, payloadStart, destination, headersLength, payloadLength);
        fixIpHeader(destination, index, segmentLength);
        int transportLength = segmentLength - transportOffset;
        if (gsoType == GSO_UDP_L4) {
            destination.set(SHORT_BE, transportOffset + 4, (short) transportLength);
        } else {
            fixTcpHeader(destination, index);
        }
        destination.set(SHORT_BE, checksumOffset, (short) 0);
        long sum = Checksums.pseudoHeader(destination, ipv4,
                gsoType == GSO_UDP_L4 ? PROTOCOL_UDP : PROTOCOL_TCP, transportLength);
        sum = Checksums.add(destination, transportOffset, transportLength, sum);
        destination.set(SHORT_BE, checksumOffset, Checksums.complement(sum));
        return segmentLength;
    }

    private boolean prepareSegments() {
        boolean tcp = gsoType == GSO_TCPV4 || gsoType == GSO_TCPV6;
        if (!tcp && gsoType != GSO_UDP_L4 || gsoType == GSO_TCPV4 && !ipv4 || gsoType == GSO_TCPV6 && ipv4) {
            return false;
        }
        int minimumIpHeader = ipv4 ? (packet.get(JAVA_BYTE, 0) & 0x0f) * 4 : 40;
        if (segmentSize == 0 || transportOffset < minimumIpHeader || ipv4 && transportOffset != minimumIpHeader) {
            return false;
        }
        int transportHeader = tcp ? tcpHeaderLength() : 8;
        headersLength = transportOffset + transportHeader;
        if (transportHeader < (tcp ? 20 : 8) || headersLength > length) {
            return false;
        }
        checksumOffset = transportOffset + (tcp ? 16 : 6);
        int payload = length - headersLength;
        segmentCount = Math.max(1, (payload + segmentSize - 1) / segmentSize);
        return true;
    }

    private int tcpHeaderLength() {
        return transportOffset + 12 < length ? ((packet.get(JAVA_BYTE, transportOffset + 12) & 0xf0) >>> 4) * 4 : 0;
    }

    private int writeWhole(MemorySegment destination) {
        if (length > destination.byteSize()) {
            return -1;
        }
        MemorySegment.copy(packet, 0, destination, 0, length);
        if (needsChecksum) {
            // The field already holds the pseudo-header sum; the kernel left the rest to us.
            long sum = Checksums.add(destination, transportOffset, length - transportOffset, 0);
            destination.set(SHORT_BE, checksumOffset, Checksums.complement(sum));
        }
        return length;
    }

    private void fixIpHeader(MemorySegment segment, int index, int segmentLength) {
        if (!ipv4) {
            segment.set(SHORT_BE, 4, (short) (segmentLength - 40));
            return;
        }
        segment.set(SHORT_BE, 2, (short) segmentLength);
        segment.set(SHORT_BE, 4, (short) (segment.get(SHORT_BE, 4) + index));
        segment.set(SHORT_BE, 10, (short) 0);
        segment.set(SHORT_BE, 10, Checksums.complement(Checksums.add(segment, 0, transportOffset, 0)));
    }

    private void fixTcpHeader(MemorySegment segment, int index) {
        segment.set(INT_BE, transportOffset + 4, segment.get(INT_BE, transportOffset + 4) + index * segmentSize);
        int flags = segment.get(JAVA_BYTE, transportOffset + 13) & 0xff;
        if (index < segmentCount - 1) {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (index > 0) {
            flags &= ~TCP_CWR;
        }
        segment.set(JAVA_BYTE, transportOffset + 13, (byte) flags);
    }
}
