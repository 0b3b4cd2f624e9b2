package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.platform.linux.TcpTestPackets.Segment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which TCP segments {@link TcpCoalescer} merges into one write, and which it leaves alone. */
class TcpCoalescerTest {
    private static final int SIZE = 1000;

    private final Arena arena = Arena.ofShared();
    private final PacketBatch batch = PacketBatch.allocate(128, 1500);
    private final TcpCoalescer coalescer = new TcpCoalescer(arena);
    private final Segment first = new Segment(true, 40000, 1, 1000, TcpTestPackets.ACK, new byte[0], payload(SIZE));

    @AfterEach
    void free() {
        batch.close();
        arena.close();
    }

    @Test
    void consecutiveSegmentsOfOneFlowBecomeOneWrite() {
        add(first, next(first), next(next(first)));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(3);
        assertThat(coalescer.iovecCount()).isEqualTo(4);
    }

    @Test
    void segmentsOfAnotherFlowAreNotMerged() {
        add(first, next(first).withSourcePort(40001));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
        assertThat(coalescer.prepare(batch, 1)).isEqualTo(1);
    }

    @Test
    void aGapInSequenceNumbersEndsTheRun() {
        add(first, next(first).withSequence(first.sequence() + SIZE + 1));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
    }

    @Test
    void aSegmentWithAWrongChecksumIsWrittenAloneForTheKernelToDrop() {
        add(first, next(first));
        batch.slot(1).set(JAVA_BYTE, 100, (byte) (batch.slot(1).get(JAVA_BYTE, 100) + 1));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
        assertThat(coalescer.prepare(batch, 1)).isEqualTo(1);
    }

    @Test
    void segmentsWithOtherFlagsThanAckAndPushAreNeverMerged() {
        add(first.withFlags(TcpTestPackets.ACK | TcpTestPackets.FIN), next(first));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
    }

    @Test
    void aShorterSegmentEndsTheRunItIsPartOf() {
        Segment shorter = next(first).withPayload(payload(SIZE / 2));
        add(first, shorter, next(shorter));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(2);
    }

    @Test
    void aLongerSegmentDoesNotJoin() {
        Segment shorter = first.withPayload(payload(SIZE / 2));
        add(shorter, next(shorter).withPayload(payload(SIZE)));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
    }

    @Test
    void aPushedSegmentEndsTheRunItIsPartOf() {
        Segment pushed = next(first).withFlags(TcpTestPackets.ACK | TcpTestPackets.PSH);
        add(first, pushed, next(pushed).withFlags(TcpTestPackets.ACK));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(2);
        assertThat(batch.slot(0).get(JAVA_BYTE, 33) & TcpTestPackets.PSH).as("PSH on the merged header").isNotZero();
    }

    @Test
    void aRunStopsAtSixtyFourSegments() {
        Segment segment = first.withPayload(payload(500));
        for (int i = 0; i < 70; i++) {
            add(segment);
            segment = next(segment);
        }

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(TcpCoalescer.MAX_SEGMENTS);
    }

    @Test
    void aRunStopsBeforeTheIpLengthLimit() {
        Segment segment = first.withPayload(payload(1400));
        for (int i = 0; i < 50; i++) {
            add(segment);
            segment = next(segment);
        }

        assertThat(coalescer.prepare(batch, 0)).isEqualTo((65535 - 40) / 1400);
    }

    @Test
    void aPacketThatIsNotTcpIsWrittenAloneWithAnEmptyHeader() {
        byte[] udp = new byte[60];
        udp[0] = 0x45;
        udp[3] = 60;
        udp[9] = 17;
        batch.add(MemorySegment.ofArray(udp));

        assertThat(coalescer.prepare(batch, 0)).isEqualTo(1);
        byte[] written = TcpOffloadRoundTripTest.gather(coalescer);
        assertThat(written).isEqualTo(concat(new byte[GsoSplitter.VNET_HEADER_SIZE], udp));
    }

    private void add(Segment... segments) {
        for (Segment segment : segments) {
            int i = batch.size();
            batch.setLength(i, TcpTestPackets.write(segment, batch.slot(i)));
            batch.setSize(i + 1);
        }
    }

    private static Segment next(Segment segment) {
        return segment.withSequence(segment.sequence() + segment.payload().length);
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 7);
        return payload;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
