package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.INT_BE;
import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.zonewire.ippacket.Checksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plans the writes of a batch to a TUN device opened with {@code IFF_VNET_HDR}: a run of
 * consecutive TCP segments of one flow, in order, of equal size (the last may be shorter), with
 * identical headers apart from sequence number and lengths, becomes one super-packet with a GSO
 * header, so the kernel's TCP receives a single large packet instead of dozens (what GRO does on
 * a network card). Every other packet is written alone with an empty virtio-net header.
 *
 * <p>The super-packet is gathered by {@code writev}: the first segment's headers are rewritten in
 * place to describe the whole, and the following segments contribute only their payloads. A
 * segment whose checksums do not verify is never merged (merging would hide the corruption: the
 * kernel trusts a super-packet's data), so the kernel still sees and drops it.
 */
final class TcpCoalescer {
    static final int MAX_SEGMENTS = 64;

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final long IOVEC_SIZE = 16;
    private static final int TCP_FLAG_PSH = 0x08;
    private static final int TCP_FLAG_ACK = 0x10;
    private static final int MAX_IP_PACKET = 65535;

    private final MemorySegment gsoHeader;
    private final MemorySegment plainHeader;
    private final MemorySegment iovecs;
    private int iovecCount;
    private int superPacketLength;

    TcpCoalescer(Arena arena) {
        gsoHeader = arena.allocate(GsoSplitter.VNET_HEADER_SIZE, 8);
        plainHeader = arena.allocate(GsoSplitter.VNET_HEADER_SIZE, 8);
        iovecs = arena.allocate((MAX_SEGMENTS + 1) * IOVEC_SIZE, 8);
    }

    /** The iovecs for writing {@code packet} alone; always 2 of them. */
    MemorySegment single(MemorySegment packet, long length) {
        setIovec(0, plainHeader.address(), GsoSplitter.VNET_HEADER_SIZE);
        setIovec(1, packet.address(), length);
        iovecCount = 2;
        return iovecs;
    }

    /**
     * Plans one write starting at packet {@code start} of {@code batch} and returns how many of
     * the batch's packets it covers; {@link #iovecs()} and {@link #iovecCount()} describe it.
     */
    int prepare(PacketBatch batch, int start) {
        MemorySegment head = batch.slot(start);
        int headLength = batch.length(start);
        int headersLength = mergeableHeadersLength(head, headLength);
        int count = 1;
        if (headersLength > 0) {
            count = gatherFollowers(batch, start, headersLength);
        }
        if (count == 1) {
            single(head, headLength);
            return 1;
        }
        setIovec(0, gsoHeader.address(), GsoSplitter.VNET_HEADER_SIZE);
        setIovec(1, head.address(), headLength);
        iovecCount = count + 1;
        describeSuperPacket(head, headersLength, headLength - headersLength, batch.slot(start + count - 1));
        return count;
    }

    MemorySegment iovecs() {
        return iovecs;
    }

    int iovecCount() {
        return iovecCount;
    }

    /**
     * Adds the payloads of the packets after {@code start} that continue its flow, and returns
     * how many packets the run has.
     */
    private int gatherFollowers(PacketBatch batch, int start, int headersLength) {
        MemorySegment head = batch.slot(start);
        int ipLength = ipHeaderLength(head);
        int segmentSize = batch.length(start) - headersLength;
        long nextSequence = (head.get(INT_BE, ipLength + 4) & 0xffffffffL) + segmentSize;
        int total = batch.length(start);
        boolean closed = (head.get(JAVA_BYTE, ipLength + 13) & TCP_FLAG_PSH) != 0;
        int count = 1;
        while (!closed && count < MAX_SEGMENTS && start + count < batch.size()) {
            MemorySegment next = batch.slot(start + count);
            int nextLength = batch.length(start + count);
            int payload = nextLength - headersLength;
            // The cheap header comparison first: checksumming a segment of another flow would be wasted.
            if (payload <= 0 || payload > segmentSize || total + payload > MAX_IP_PACKET
                    || !continuesFlow(head, next, ipLength, headersLength, nextSequence)
                    || mergeableHeadersLength(next, nextLength) != headersLength) {
                break;
            }
            setIovec(count + 1, next.address() + headersLength, payload);
            total += payload;
            nextSequence += payload;
            closed = payload < segmentSize || (next.get(JAVA_BYTE, ipLength + 13) & TCP_FLAG_PSH) != 0;
            count++;
        }
        superPacketLength = total;
        return count;
    }

    /**
     * The length of the IP and TCP headers of {@code packet} when it is a TCP segment that may
     * be merged (no IP options or extension headers, not a fragment, only ACK and PSH set, some
     * payload, checksums right), else -1.
     */
    private static int mergeableHeadersLength(MemorySegment packet, int length) {
        if (length < 40) {
            return -1;
        }
        int version = (packet.get(JAVA_BYTE, 0) & 0xf0) >>> 4;
        boolean ipv4 = version == 4;
        if (ipv4) {
            if (packet.get(JAVA_BYTE, 0) != 0x45 || packet.get(JAVA_BYTE, 9) != 6
                    || (packet.get(SHORT_BE, 2) & 0xffff) != length
                    || (packet.get(SHORT_BE, 6) & 0x3fff) != 0
                    || Checksum.fold(Checksums.add(packet, 0, 20, 0)) != 0xffff) {
                return -1;
            }
        } else if (version != 6 || length < 60 || packet.get(JAVA_BYTE, 6) != 6
                || (packet.get(SHORT_BE, 4) & 0xffff) != length - 40) {
            return -1;
        }
        int ipLength = ipv4 ? 20 : 40;
        int tcpLength = ((packet.get(JAVA_BYTE, ipLength + 12) & 0xf0) >>> 4) * 4;
        int flags = packet.get(JAVA_BYTE, ipLength + 13) & 0xff;
        int headersLength = ipLength + tcpLength;
        if (tcpLength < 20 || headersLength >= length || (flags & ~TCP_FLAG_PSH) != TCP_FLAG_ACK) {
            return -1;
        }
        long sum = Checksums.pseudoHeader(packet, ipv4, 6, length - ipLength);
        if (Checksum.fold(Checksums.add(packet, ipLength, length - ipLength, sum)) != 0xffff) {
            return -1;
        }
        return headersLength;
    }

    private static boolean continuesFlow(MemorySegment head, MemorySegment next, int ipLength, int headersLength,
            long expectedSequence) {
        boolean ipv4 = ipLength == 20;
        // IPv4: version, TOS, flags (DF), TTL, protocol, addresses; IPv6: class, flow label, hop limit, addresses.
        boolean sameIp = ipv4
                ? same(head, next, 0, 2) && head.get(JAVA_BYTE, 6) == next.get(JAVA_BYTE, 6) && same(head, next, 8, 10)
                        && same(head, next, 12, 20)
                : same(head, next, 0, 4) && same(head, next, 6, 40);
        int tcp = ipLength;
        return sameIp
                && same(head, next, tcp, tcp + 4)
                && (next.get(INT_BE, tcp + 4) & 0xffffffffL) == (expectedSequence & 0xffffffffL)
                && same(head, next, tcp + 8, tcp + 13)
                && ((head.get(JAVA_BYTE, tcp + 13) ^ next.get(JAVA_BYTE, tcp + 13)) & ~TCP_FLAG_PSH) == 0
                && same(head, next, tcp + 14, tcp + 16)
                && same(head, next, tcp + 20, headersLength);
    }

    private static boolean same(MemorySegment a, MemorySegment b, long from, long to) {
        return MemorySegment.mismatch(a, from, to, b, from, to) == -1;
    }

    /** Rewrites the head's headers to describe the whole run, and fills the GSO header. */
    private void describeSuperPacket(MemorySegment head, int headersLength, int segmentSize, MemorySegment last) {
        int ipLength = ipHeaderLength(head);
        boolean ipv4 = ipLength == 20;
        int total = superPacketLength;
        if (ipv4) {
            head.set(SHORT_BE, 2, (short) total);
            head.set(SHORT_BE, 10, (short) 0);
            head.set(SHORT_BE, 10, Checksums.complement(Checksums.add(head, 0, 20, 0)));
        } else {
            head.set(SHORT_BE, 4, (short) (total - 40));
        }
        int flags = head.get(JAVA_BYTE, ipLength + 13) | last.get(JAVA_BYTE, ipLength + 13) & TCP_FLAG_PSH;
        head.set(JAVA_BYTE, ipLength + 13, (byte) flags);
        // A partial checksum: the kernel finishes it from the pseudo-header sum left in the field.
        int pseudo = Checksum.fold(Checksums.pseudoHeader(head, ipv4, 6, total - ipLength));
        head.set(SHORT_BE, ipLength + 16, (short) pseudo);
        gsoHeader.set(JAVA_BYTE, 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        gsoHeader.set(JAVA_BYTE, 1, (byte) (ipv4 ? GsoSplitter.GSO_TCPV4 : GsoSplitter.GSO_TCPV6));
        gsoHeader.set(SHORT_LE, 2, (short) headersLength);
        gsoHeader.set(SHORT_LE, 4, (short) segmentSize);
        gsoHeader.set(SHORT_LE, 6, (short) ipLength);
        gsoHeader.set(SHORT_LE, 8, (short) 16);
    }

    private static int ipHeaderLength(MemorySegment packet) {
        return (packet.get(JAVA_BYTE, 0) & 0xf0) == 0x40 ? 20 : 40;
    }

    private void setIovec(int i, long address, long length) {
        iovecs.set(JAVA_LONG, i * IOVEC_SIZE, address);
        iovecs.set(JAVA_LONG, i * IOVEC_SIZE + 8, length);
    }
}
