package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * NAT46 then NAT64 (and NAT64 then NAT46) gives back the original packet, byte for byte, wherever
 * the translation loses nothing: IPv4 without options, with identification 0 and don't-fragment
 * (what NAT64 writes); IPv6 without extension headers and with flow label 0 (what NAT46 writes).
 */
class FamilyTranslationRoundTripProperties {

    private final IpPacket packet = new IpPacket();

    @Property
    void ipv4ToIpv6AndBackGivesTheOriginal(@ForAll("ipv4Packets") PacketSpec spec,
                                           @ForAll @IntRange(max = 255) int typeOfService,
                                           @ForAll @IntRange(max = 255) int ttl,
                                           @ForAll("ipv6Addresses") Ipv6Address source,
                                           @ForAll("ipv6Addresses") Ipv6Address destination) {
        ByteBuffer buffer = TestPackets.buffer();
        byte[] original = buildIpv4(spec, buffer, typeOfService, ttl);

        assertThat(FamilyTranslator.toIpv6(packet, source, destination)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.ipv6().trafficClass()).isEqualTo(typeOfService);
        assertThat(packet.ipv6().hopLimit()).isEqualTo(ttl);
        assertThat(packet.ipv6().flowLabel()).isZero();
        assertThat(packet.source()).isEqualTo(source);
        assertThat(packet.destination()).isEqualTo(destination);
        assertThat(packet.offset()).isZero();

        assertThat(FamilyTranslator.toIpv4(packet, (Ipv4Address) spec.source(), (Ipv4Address) spec.destination()))
                .isEqualTo(PacketStatus.VALID);
        assertThat(packet.offset()).isEqualTo(TestPackets.HEADROOM);
        assertThat(TestPackets.bytesOf(packet)).isEqualTo(original);
    }

    @Property
    void ipv6ToIpv4AndBackGivesTheOriginal(@ForAll("ipv6Packets") PacketSpec spec,
                                           @ForAll @IntRange(max = 255) int trafficClass,
                                           @ForAll @IntRange(max = 255) int hopLimit,
                                           @ForAll("ipv4Addresses") Ipv4Address source,
                                           @ForAll("ipv4Addresses") Ipv4Address destination) {
        ByteBuffer buffer = TestPackets.buffer();
        spec.writeTo(buffer, TestPackets.HEADROOM);
        buffer.putInt(TestPackets.HEADROOM, 6 << 28 | trafficClass << 20);
        buffer.put(TestPackets.HEADROOM + 7, (byte) hopLimit);
        packet.wrap(buffer, TestPackets.HEADROOM, spec.writeTo(TestPackets.buffer(), 0));
        byte[] original = TestPackets.bytesOf(packet);

        assertThat(FamilyTranslator.toIpv4(packet, source, destination)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.ipv4().typeOfService()).isEqualTo(trafficClass);
        assertThat(packet.ipv4().ttl()).isEqualTo(hopLimit);
        assertThat(packet.ipv4().dontFragment()).isTrue();
        assertThat(packet.source()).isEqualTo(source);
        assertThat(packet.offset()).isEqualTo(TestPackets.HEADROOM + 20);

        assertThat(FamilyTranslator.toIpv6(packet, (Ipv6Address) spec.source(), (Ipv6Address) spec.destination()))
                .isEqualTo(PacketStatus.VALID);
        assertThat(TestPackets.bytesOf(packet)).isEqualTo(original);
    }

    @Property
    void anIpv4DatagramWithoutUdpChecksumGetsAValidOneInIpv6(@ForAll("ipv4Udp") PacketSpec spec,
                                                            @ForAll("ipv6Addresses") Ipv6Address source,
                                                            @ForAll("ipv6Addresses") Ipv6Address destination) {
        ByteBuffer buffer = TestPackets.buffer();
        packet.wrap(buffer, TestPackets.HEADROOM, spec.writeTo(buffer, TestPackets.HEADROOM));
        buffer.putShort(packet.payloadIndex() + 6, (short) 0);

        assertThat(FamilyTranslator.toIpv6(packet, source, destination)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.udp().checksum()).isNotZero();
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    /** Host, port and protocol unreachable map one to one between the families; the quote is translated too. */
    @Property
    void anIpv4ErrorToIpv6AndBackGivesTheOriginal(@ForAll("quotableIpv4Packets") PacketSpec spec,
                                                  @ForAll("v4RoundTripReasons") IcmpErrors.Unreachable reason,
                                                  @ForAll("ipv6Addresses") Ipv6Address source,
                                                  @ForAll("ipv6Addresses") Ipv6Address destination) {
        ByteBuffer buffer = TestPackets.buffer();
        byte[] original = buildError(spec, reason, buffer);
        Ipv4Address errorSource = new Ipv4Address(packet.ipv4().source());
        Ipv4Address errorDestination = new Ipv4Address(packet.ipv4().destination());

        assertThat(FamilyTranslator.toIpv6(packet, source, destination)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv6().quotedPacket().source()).isEqualTo(destination);

        assertThat(FamilyTranslator.toIpv4(packet, errorSource, errorDestination)).isEqualTo(PacketStatus.VALID);
        assertThat(TestPackets.bytesOf(packet)).isEqualTo(original);
    }

    /** No route, port, protocol and administratively prohibited map one to one from IPv6 and back. */
    @Property
    void anIpv6ErrorToIpv4AndBackGivesTheOriginal(@ForAll("quotableIpv6Packets") PacketSpec spec,
                                                  @ForAll("v6RoundTripReasons") IcmpErrors.Unreachable reason,
                                                  @ForAll("ipv4Addresses") Ipv4Address source,
                                                  @ForAll("ipv4Addresses") Ipv4Address destination) {
        ByteBuffer buffer = TestPackets.buffer();
        byte[] original = buildError(spec, reason, buffer);
        Ipv6Address errorSource = new Ipv6Address(packet.ipv6().sourceHigh(), packet.ipv6().sourceLow());
        Ipv6Address errorDestination = new Ipv6Address(packet.ipv6().destinationHigh(), packet.ipv6().destinationLow());

        assertThat(FamilyTranslator.toIpv4(packet, source, destination)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv4().parseQuotedPacket()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.icmpv4().quotedPacket().destination()).isEqualTo(source);

        assertThat(FamilyTranslator.toIpv6(packet, errorSource, errorDestination)).isEqualTo(PacketStatus.VALID);
        assertThat(TestPackets.bytesOf(packet)).isEqualTo(original);
    }

    private byte[] buildIpv4(PacketSpec spec, ByteBuffer buffer, int typeOfService, int ttl) {
        int length = spec.writeTo(buffer, TestPackets.HEADROOM);
        buffer.put(TestPackets.HEADROOM + 1, (byte) typeOfService);
        buffer.put(TestPackets.HEADROOM + 8, (byte) ttl);
        packet.wrap(buffer, TestPackets.HEADROOM, length);
        packet.recomputeChecksums();
        return TestPackets.bytesOf(packet);
    }

    /** Writes the error about {@code spec} at the headroom offset of {@code buffer} and points {@link #packet} at it. */
    private byte[] buildError(PacketSpec spec, IcmpErrors.Unreachable reason, ByteBuffer buffer) {
        ByteBuffer offendingBuffer = TestPackets.buffer();
        IpPacket offending = new IpPacket();
        offending.wrap(offendingBuffer, 0, spec.writeTo(offendingBuffer, 0));
        int length = IcmpErrors.destinationUnreachable(offending, reason, buffer, TestPackets.HEADROOM);
        assertThat(packet.wrap(buffer, TestPackets.HEADROOM, length)).isEqualTo(PacketStatus.VALID);
        return TestPackets.bytesOf(packet);
    }

    @Provide
    Arbitrary<PacketSpec> ipv4Packets() {
        return PacketSpec.ipv4Packets(1200);
    }

    @Provide
    Arbitrary<PacketSpec> ipv6Packets() {
        return PacketSpec.ipv6Packets(1200);
    }

    @Provide
    Arbitrary<PacketSpec> ipv4Udp() {
        return PacketSpec.ipv4Packets(1200).filter(spec -> spec.kind() == PacketSpec.Kind.UDP);
    }

    @Provide
    Arbitrary<PacketSpec> quotableIpv4Packets() {
        return PacketSpec.ipv4Packets(500).filter(PacketSpec::isAnswerableWithAnIcmpError);
    }

    @Provide
    Arbitrary<PacketSpec> quotableIpv6Packets() {
        return PacketSpec.ipv6Packets(1100).filter(PacketSpec::isAnswerableWithAnIcmpError);
    }

    @Provide
    Arbitrary<IcmpErrors.Unreachable> v4RoundTripReasons() {
        return Arbitraries.of(IcmpErrors.Unreachable.HOST_UNREACHABLE, IcmpErrors.Unreachable.PORT_UNREACHABLE,
                IcmpErrors.Unreachable.PROTOCOL_UNREACHABLE);
    }

    @Provide
    Arbitrary<IcmpErrors.Unreachable> v6RoundTripReasons() {
        return Arbitraries.of(IcmpErrors.Unreachable.NO_ROUTE, IcmpErrors.Unreachable.PORT_UNREACHABLE,
                IcmpErrors.Unreachable.PROTOCOL_UNREACHABLE, IcmpErrors.Unreachable.ADMINISTRATIVELY_PROHIBITED);
    }

    @Provide
    Arbitrary<Ipv4Address> ipv4Addresses() {
        return PacketSpec.ipv4Addresses();
    }

    @Provide
    Arbitrary<Ipv6Address> ipv6Addresses() {
        return PacketSpec.ipv6Addresses();
    }
}
