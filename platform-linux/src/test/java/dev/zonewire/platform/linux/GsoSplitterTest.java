package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.Checksum;
import dev.zonewire.platform.linux.TcpTestPackets.Segment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@link GsoSplitter} treats the packets a TUN device with offload hands over. */
class GsoSplitterTest {
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(GsoSplitter.VNET_HEADER_SIZE + 65535);
    private final MemorySegment packet = buffer.asSlice(GsoSplitter.VNET_HEADER_SIZE);
    private final MemorySegment destination = arena.allocate(1500);
    private final GsoSplitter splitter = new GsoSplitter(buffer);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void aPlainPacketPassesThroughUnchanged() {
        int length = TcpTestPackets.write(segment(true, 300), packet);
        byte[] original = packet.asSlice(0, length).toArray(JAVA_BYTE);

        assertThat(splitter.prepare(length)).isTrue();

        assertThat(splitter.segmentCount()).isEqualTo(1);
        assertThat(splitter.writeSegment(0, destination)).isEqualTo(length);
        assertThat(destination.asSlice(0, length).toArray(JAVA_BYTE)).isEqualTo(original);
    }

    @Test
    void aPacketWhoseChecksumTheKernelLeftToUsGetsItFinished() {
        int length = udpWithPartialChecksum(500);
        buffer.set(JAVA_BYTE, 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        buffer.set(SHORT_LE, 6, (short) 20);
        buffer.set(SHORT_LE, 8, (short) 6);

        assertThat(splitter.prepare(length)).isTrue();
        assertThat(splitter.writeSegment(0, destination)).isEqualTo(length);

        assertThat(udpChecksumValid(destination, length)).isTrue();
    }

    @Test
    void aUdpSuperPacketIsCutIntoDatagramsWithTheirOwnLengthsAndChecksums() {
        int length = udpWithPartialChecksum(3 * 1000 + 200);
        buffer.set(JAVA_BYTE, 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        buffer.set(JAVA_BYTE, 1, (byte) GsoSplitter.GSO_UDP_L4);
        buffer.set(SHORT_LE, 2, (short) 28);
        buffer.set(SHORT_LE, 4, (short) 1000);
        buffer.set(SHORT_LE, 6, (short) 20);
        buffer.set(SHORT_LE, 8, (short) 6);

        assertThat(splitter.prepare(length)).isTrue();
        assertThat(splitter.segmentCount()).isEqualTo(4);
        for (int k = 0; k < 4; k++) {
            int datagram = splitter.writeSegment(k, destination);
            int payload = k < 3 ? 1000 : 200;
            assertThat(datagram).isEqualTo(28 + payload);
            assertThat(destination.get(SHORT_BE, 24) & 0xffff).as("UDP length").isEqualTo(8 + payload);
            assertThat(TcpTestPackets.ipv4HeaderValid(destination)).isTrue();
            assertThat(udpChecksumValid(destination, datagram)).isTrue();
            assertThat(destination.get(JAVA_BYTE, 28)).isEqualTo((byte) (k * 1000));
        }
    }

    @Test
    void aTcpv4SuperPacketHoldingIpv6IsRefused() {
        int length = TcpTestPackets.writeSuperPacket(segment(false, 3000), 1000, buffer);
        buffer.set(JAVA_BYTE, 1, (byte) GsoSplitter.GSO_TCPV4);

        assertThat(splitter.prepare(length)).isFalse();
    }

    @Test
    void aChecksumOffsetBeyondThePacketIsRefused() {
        int length = TcpTestPackets.write(segment(true, 100), packet);
        buffer.set(JAVA_BYTE, 0, (byte) GsoSplitter.FLAG_NEEDS_CSUM);
        buffer.set(SHORT_LE, 6, (short) 20);
        buffer.set(SHORT_LE, 8, (short) length);

        assertThat(splitter.prepare(length)).isFalse();
    }

    @Test
    void aZeroSegmentSizeIsRefused() {
        int length = TcpTestPackets.writeSuperPacket(segment(true, 3000), 1000, buffer);
        buffer.set(SHORT_LE, 4, (short) 0);

        assertThat(splitter.prepare(length)).isFalse();
    }

    @Test
    void legacyUdpFragmentationOffloadIsRefused() {
        int length = TcpTestPackets.writeSuperPacket(segment(true, 3000), 1000, buffer);
        buffer.set(JAVA_BYTE, 1, (byte) 3);

        assertThat(splitter.prepare(length)).isFalse();
    }

    @Test
    void aSegmentThatDoesNotFitItsDestinationIsNotWritten() {
        int length = TcpTestPackets.writeSuperPacket(segment(true, 6000), 2000, buffer);

        assertThat(splitter.prepare(length)).isTrue();

        assertThat(splitter.writeSegment(0, destination)).isEqualTo(-1);
    }

    private static Segment segment(boolean ipv4, int payloadLength) {
        byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        return new Segment(ipv4, 40000, 7, 1, TcpTestPackets.ACK, new byte[0], payload);
    }

    /** An IPv4 UDP packet at {@code packet} whose checksum field holds only the pseudo-header sum. */
    private int udpWithPartialChecksum(int payloadLength) {
        int length = 28 + payloadLength;
        packet.asSlice(0, 28).fill((byte) 0);
        packet.set(JAVA_BYTE, 0, (byte) 0x45);
        packet.set(SHORT_BE, 2, (short) length);
        packet.set(JAVA_BYTE, 8, (byte) 64);
        packet.set(JAVA_BYTE, 9, (byte) 17);
        packet.set(Checksums.INT_BE, 12, 0x0a510001);
        packet.set(Checksums.INT_BE, 16, 0x0a510002);
        packet.set(SHORT_BE, 10, Checksums.complement(Checksums.add(packet, 0, 20, 0)));
        packet.set(SHORT_BE, 20, (short) 5000);
        packet.set(SHORT_BE, 22, (short) 53);
        packet.set(SHORT_BE, 24, (short) (8 + payloadLength));
        for (int i = 0; i < payloadLength; i++) {
            packet.set(JAVA_BYTE, 28 + i, (byte) i);
        }
        int pseudo = Checksum.fold(Checksums.pseudoHeader(packet, true, 17, 8 + payloadLength));
        packet.set(SHORT_BE, 26, (short) pseudo);
        return length;
    }

    private static boolean udpChecksumValid(MemorySegment datagram, int length) {
        long sum = Checksums.pseudoHeader(datagram, true, 17, length - 20);
        return Checksum.fold(Checksums.add(datagram, 20, length - 20, sum)) == 0xffff;
    }
}
