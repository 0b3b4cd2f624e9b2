package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Fuzzes the merging of packets a peer sent through the tunnel ({@link TcpCoalescer}): no input
 * may throw, and every packet is planned exactly once.
 */
class TcpCoalescerFuzzTest {
    private static final Arena ARENA = Arena.ofShared();
    private static final PacketBatch BATCH = PacketBatch.allocate(32, 1500);
    private static final TcpCoalescer COALESCER = new TcpCoalescer(ARENA);

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
}
