package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * After any sequence of address, port and echo-identifier rewrites, the incrementally updated
 * checksums are exactly what a full recomputation gives.
 */
class IncrementalChecksumProperties {

    private final IpPacket packet = new IpPacket();
    private final IpPacket recomputed = new IpPacket();

    @Property
    void rewritesLeaveTheChecksumsAFullRecomputationWouldWrite(@ForAll("packets") PacketSpec spec,
                                                              @ForAll("rewrites") List<Rewrite> rewrites) {
        ByteBuffer buffer = TestPackets.buffer();
        packet.wrap(buffer, TestPackets.HEADROOM, spec.writeTo(buffer, TestPackets.HEADROOM));

        rewrites.forEach(rewrite -> rewrite.applyTo(packet));

        byte[] incremental = TestPackets.bytesOf(packet);
        assertThat(incremental).isEqualTo(recomputedChecksums(incremental));
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Property
    void anIpv4UdpChecksumOfZeroStaysZeroWhileTheHeaderChecksumIsUpdated(@ForAll("ipv4Udp") PacketSpec spec,
                                                                         @ForAll("rewrites") List<Rewrite> rewrites) {
        ByteBuffer buffer = TestPackets.buffer();
        packet.wrap(buffer, TestPackets.HEADROOM, spec.writeTo(buffer, TestPackets.HEADROOM));
        buffer.putShort(packet.payloadIndex() + 6, (short) 0);

        rewrites.forEach(rewrite -> rewrite.applyTo(packet));

        assertThat(packet.udp().checksum()).isZero();
        byte[] incremental = TestPackets.bytesOf(packet);
        byte[] expected = recomputedChecksums(incremental);
        ByteBuffer.wrap(expected).putShort(packet.headerLength() + 6, (short) 0);
        assertThat(incremental).isEqualTo(expected);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Property
    void rewritingAnIcmpErrorAndTheQuoteInsideItKeepsEveryChecksumCorrect(
            @ForAll("quotablePackets") PacketSpec spec,
            @ForAll("rewrites") List<Rewrite> errorRewrites,
            @ForAll("rewrites") List<Rewrite> quoteRewrites) {
        ByteBuffer buffer = TestPackets.buffer();
        IpPacket offending = new IpPacket();
        offending.wrap(buffer, 0, spec.writeTo(buffer, 0));
        ByteBuffer errorBuffer = TestPackets.buffer();
        int length = IcmpErrors.destinationUnreachable(offending, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED,
                errorBuffer, TestPackets.HEADROOM);
        packet.wrap(errorBuffer, TestPackets.HEADROOM, length);

        errorRewrites.forEach(rewrite -> rewrite.applyTo(packet));
        assertThat(packet.icmp().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        IpPacket quoted = packet.icmp().quotedPacket();
        quoteRewrites.forEach(rewrite -> rewrite.applyTo(quoted));

        byte[] incremental = TestPackets.bytesOf(packet);
        assertThat(incremental).isEqualTo(recomputedChecksums(incremental));
        IpPacket quoteOnItsOwn = new IpPacket();
        assertThat(quoteOnItsOwn.wrap(errorBuffer, quoted.offset(), quoted.length())).isEqualTo(PacketStatus.VALID);
        assertThat(quoteOnItsOwn.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    private byte[] recomputedChecksums(byte[] bytes) {
        byte[] copy = bytes.clone();
        assertThat(recomputed.wrap(ByteBuffer.wrap(copy), 0, copy.length)).isEqualTo(PacketStatus.VALID);
        recomputed.recomputeChecksums();
        return copy;
    }

    @Provide
    Arbitrary<PacketSpec> packets() {
        return PacketSpec.packets(1200);
    }

    @Provide
    Arbitrary<PacketSpec> ipv4Udp() {
        return PacketSpec.ipv4Packets(1200).filter(spec -> spec.kind() == PacketSpec.Kind.UDP);
    }

    /** Small enough that an ICMPv4 error (576 bytes at most) quotes them whole. */
    @Provide
    Arbitrary<PacketSpec> quotablePackets() {
        return PacketSpec.packets(500).filter(PacketSpec::isAnswerableWithAnIcmpError);
    }

    @Provide
    Arbitrary<List<Rewrite>> rewrites() {
        return Rewrite.sequences();
    }
}
