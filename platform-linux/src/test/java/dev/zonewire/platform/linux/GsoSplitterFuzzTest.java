package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fuzzes the cutting of what the kernel hands over ({@link GsoSplitter}): no input may make it
 * write outside its buffers.
 */
class GsoSplitterFuzzTest {
    private static final Arena ARENA = Arena.ofShared();
    private static final MemorySegment READ_BUFFER = ARENA.allocate(GsoSplitter.VNET_HEADER_SIZE + 65535);
    private static final GsoSplitter SPLITTER = new GsoSplitter(READ_BUFFER);
    private static final MemorySegment SEGMENT = ARENA.allocate(1500);

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
