package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fuzzes the two places where packet bytes steer offload code: the merging of packets a peer sent
 * through the tunnel ({@link TcpCoalescer}) and the cutting of what the kernel hands over
 * ({@link GsoSplitter}). No input may throw, and every packet is planned exactly once.
 */
class OffloadFuzzTest {
    private static final Arena ARENA = Arena.ofShared();
    private static final PacketBatch BATCH = PacketBatch.allocate(32, 1500);
    private static final TcpCoalescer COALESCER = new TcpCoalescer(ARENA);
    private static final MemorySegment READ_BUFFER = ARENA.allocate(GsoSplitter.VNET_HEADER_SIZE + 65535);
    private static final GsoSplitter SPLITTER = new GsoSplitter(READ_BUFFER);
    private static final MemorySegment SEGMENT = ARENA.allocate(1500);

    /** The input is packets, each preceded by its length in two bytes. */
    @FuzzTest(maxDuration = "20s")
    void coalescingPlansEveryPacketExactlyOnce(byte[] input) {
        BATCH.clear();
        int offset = 0;
        while (offset + 2 <= input.length && BATCH.size() < BATCH.capacity()) {
            int length = Math.min(((input[offset] & 0xff) << 8 | input[offset + 1] & 0xff) % 1501,
                    input.length - offset - 2);
            BATCH.add(MemorySegment.ofArray(input).asSlice(offset + 2, length));
            offset += 2 + length;
        }
        int covered = 0;
        while (covered < BATCH.size()) {
            int count = COALESCER.prepare(BATCH, covered);
            assertThat(count).isBetween(1, BATCH.size() - covered);
            covered += count;
        }
    }

    /** The input is what a read from the device returns: the virtio-net header, then the packet. */
    @FuzzTest(maxDuration = "20s")
    void splittingStaysWithinItsBuffers(byte[] input) {
        if (input.length < GsoSplitter.VNET_HEADER_SIZE || input.length > READ_BUFFER.byteSize()) {
            return;
        }
        MemorySegment.copy(input, 0, READ_BUFFER, ValueLayout.JAVA_BYTE, 0, input.length);
        if (SPLITTER.prepare(input.length - GsoSplitter.VNET_HEADER_SIZE)) {
            for (int k = 0; k < SPLITTER.segmentCount(); k++) {
                assertThat(SPLITTER.writeSegment(k, SEGMENT)).isLessThanOrEqualTo((int) SEGMENT.byteSize());
            }
        }
    }
}
