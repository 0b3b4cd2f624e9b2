package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.platform.linux.TcpTestPackets.Segment;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * What the kernel hands over with TSO, cut by {@link GsoSplitter} into segments, is what the
 * kernel would have put on the wire; merged again by {@link TcpCoalescer}, it is the original
 * super-packet, byte for byte.
 */
class TcpOffloadRoundTripTest {
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 42, 0, 0, 0, 7};

    @Property(tries = 300)
    void aSuperPacketCutIntoSegmentsMergesBackIntoTheSameBytes(
            @ForAll boolean ipv4,
            @ForAll @IntRange(min = 100, max = 1440) int segmentSize,
            @ForAll @IntRange(min = 2, max = TcpCoalescer.MAX_SEGMENTS) int segments,
            @ForAll @IntRange(min = 1, max = 1440) int lastLength,
            @ForAll boolean timestamps,
            @ForAll boolean push,
            @ForAll int sequence,
            @ForAll @IntRange(max = 0xffff) int ipId) {
        int last = Math.min(lastLength, segmentSize);
        byte[] payload = new byte[(segments - 1) * segmentSize + last];
        new Random(sequence).nextBytes(payload);
        Segment original = new Segment(ipv4, 40000, ipId, sequence & 0xffffffffL,
                TcpTestPackets.ACK | (push ? TcpTestPackets.PSH : 0), timestamps ? TIMESTAMPS : new byte[0], payload);
        Assume.that(original.headersLength() + payload.length <= 65535);

        try (Arena arena = Arena.ofConfined(); PacketBatch batch = PacketBatch.allocate(64, 1600)) {
            MemorySegment superPacket = arena.allocate(GsoSplitter.VNET_HEADER_SIZE + 65535);
            int length = TcpTestPackets.writeSuperPacket(original, segmentSize, superPacket);
            byte[] expected = superPacket.asSlice(0, GsoSplitter.VNET_HEADER_SIZE + length).toArray(JAVA_BYTE);

            GsoSplitter splitter = new GsoSplitter(superPacket);
            assertThat(splitter.prepare(length)).isTrue();
            assertThat(splitter.segmentCount()).isEqualTo(segments);
            for (int k = 0; k < segments; k++) {
                batch.setLength(k, splitter.writeSegment(k, batch.slot(k)));
                assertIsSegment(batch.slot(k), batch.length(k), original, k, segmentSize, segments);
            }
            batch.setSize(segments);

            TcpCoalescer coalescer = new TcpCoalescer(arena);
            assertThat(coalescer.prepare(batch, 0)).isEqualTo(segments);
            assertThat(gather(coalescer)).isEqualTo(expected);
        }
    }

    private static void assertIsSegment(MemorySegment packet, int length, Segment original, int index,
            int segmentSize, int segments) {
        boolean lastSegment = index == segments - 1;
        int payloadStart = index * segmentSize;
        int payloadLength = lastSegment ? original.payload().length - payloadStart : segmentSize;
        assertThat(length).isEqualTo(original.headersLength() + payloadLength);
        assertThat(TcpTestPackets.tcpChecksumValid(packet, length)).as("TCP checksum of segment %d", index).isTrue();
        int tcp = original.ipv4() ? 20 : 40;
        if (original.ipv4()) {
            assertThat(TcpTestPackets.ipv4HeaderValid(packet)).as("IPv4 checksum of segment %d", index).isTrue();
            assertThat(packet.get(Checksums.SHORT_BE, 2) & 0xffff).isEqualTo(length);
            assertThat(packet.get(Checksums.SHORT_BE, 4) & 0xffff).isEqualTo((original.ipId() + index) & 0xffff);
        } else {
            assertThat(packet.get(Checksums.SHORT_BE, 4) & 0xffff).isEqualTo(length - 40);
        }
        assertThat(packet.get(Checksums.INT_BE, tcp + 4) & 0xffffffffL)
                .isEqualTo((original.sequence() + payloadStart) & 0xffffffffL);
        int pushOnLast = lastSegment ? original.flags() & TcpTestPackets.PSH : 0;
        assertThat(packet.get(JAVA_BYTE, tcp + 13) & 0xff).isEqualTo(TcpTestPackets.ACK | pushOnLast);
        assertThat(packet.asSlice(original.headersLength(), payloadLength).toArray(JAVA_BYTE))
                .isEqualTo(Arrays.copyOfRange(original.payload(), payloadStart, payloadStart + payloadLength));
    }

    /** The bytes {@code writev} would send. */
    static byte[] gather(TcpCoalescer coalescer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < coalescer.iovecCount(); i++) {
            long address = coalescer.iovecs().get(JAVA_LONG, i * 16L);
            long length = coalescer.iovecs().get(JAVA_LONG, i * 16L + 8);
            bytes.writeBytes(MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE));
        }
        return bytes.toByteArray();
    }
}
