package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Arbitrary bytes, in the packets a peer sends through the tunnel or in an offload header, never
 * make the offload code throw or read out of bounds.
 */
class OffloadRobustnessTest {
    @Property(tries = 500)
    void theCoalescerPlansEveryPacketOfArbitraryBatchesExactlyOnce(@ForAll("packets") byte[][] packets) {
        try (Arena arena = Arena.ofConfined(); PacketBatch batch = PacketBatch.allocate(16, 1500)) {
            for (byte[] packet : packets) {
                batch.add(MemorySegment.ofArray(packet));
            }
            TcpCoalescer coalescer = new TcpCoalescer(arena);
            int covered = 0;
            while (covered < batch.size()) {
                int count = coalescer.prepare(batch, covered);
                assertThat(count).isBetween(1, batch.size() - covered);
                covered += count;
            }
        }
    }

    @Property(tries = 500)
    void theSplitterRefusesOrCutsArbitraryReadsWithinTheirBounds(@ForAll("headers") byte[] header,
            @ForAll("packets") byte[][] packets) {
        byte[] packet = packets[0];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(GsoSplitter.VNET_HEADER_SIZE + 65535);
            MemorySegment.copy(header, 0, buffer, ValueLayout.JAVA_BYTE, 0, header.length);
            MemorySegment.copy(packet, 0, buffer, ValueLayout.JAVA_BYTE, GsoSplitter.VNET_HEADER_SIZE, packet.length);
            MemorySegment destination = arena.allocate(1500);
            GsoSplitter splitter = new GsoSplitter(buffer);

            if (splitter.prepare(packet.length)) {
                for (int k = 0; k < splitter.segmentCount(); k++) {
                    assertThat(splitter.writeSegment(k, destination)).isLessThanOrEqualTo(1500);
                }
            }
        }
    }

    @Provide
    Arbitrary<byte[]> headers() {
        Arbitrary<Byte> flags = Arbitraries.of((byte) 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        Arbitrary<Byte> types = Arbitraries.of((byte) 0, (byte) 1, (byte) 3, (byte) 4, (byte) 5, (byte) 0x81);
        Arbitrary<byte[]> rest = Arbitraries.bytes().array(byte[].class).ofSize(GsoSplitter.VNET_HEADER_SIZE - 2);
        return Combinators.combine(flags, types, rest).as((f, t, r) -> {
            byte[] header = new byte[GsoSplitter.VNET_HEADER_SIZE];
            header[0] = f;
            header[1] = t;
            System.arraycopy(r, 0, header, 2, r.length);
            // Small offsets, so that they often land inside the packet.
            header[3] = 0;
            header[7] = 0;
            header[9] = 0;
            return header;
        });
    }

    /** Arbitrary bytes, most of them starting like an IPv4 or IPv6 TCP packet. */
    @Provide
    Arbitrary<byte[][]> packets() {
        Arbitrary<byte[]> tcpLike = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300)
                .map(bytes -> {
                    if (bytes.length > 10 && (bytes[2] & 3) != 0) {
                        bytes[0] = (byte) ((bytes[1] & 1) == 0 ? 0x45 : 0x60);
                        bytes[9] = 6;
                        bytes[6] = 6;
                    }
                    return bytes;
                });
        return tcpLike.array(byte[][].class).ofMinSize(1).ofMaxSize(16);
    }
}
