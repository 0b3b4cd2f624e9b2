package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever a builder writes parses back to the same fields, with checksums that verify. */
class BuilderRoundTripProperties {

    private final IpPacket packet = new IpPacket();

    @Property
    void everyBuiltPacketParsesBackToWhatWasBuilt(@ForAll("packets") PacketSpec spec) {
        ByteBuffer buffer = TestPackets.buffer();

        int length = spec.writeTo(buffer, TestPackets.HEADROOM);

        assertThat(packet.wrap(buffer, TestPackets.HEADROOM, length)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        assertThat(packet.length()).isEqualTo(length);
        assertThat(packet.source()).isEqualTo(spec.source());
        assertThat(packet.destination()).isEqualTo(spec.destination());
        assertThat(packet.version()).isEqualTo(spec.source().version());
        assertBuiltTransport(spec);
    }

    @Property
    void p2pControlPacketsParseBackToTheirEventAndBody(@ForAll @IntRange(max = 255) int eventType,
                                                      @ForAll @Size(max = 402) byte[] body) {
        ByteBuffer buffer = TestPackets.buffer();

        int length = PacketBuilder.p2pControl(buffer, TestPackets.HEADROOM, eventType, ByteBuffer.wrap(body));

        assertThat(packet.wrap(buffer, TestPackets.HEADROOM, length)).isEqualTo(PacketStatus.VALID);
        assertThat(packet.isP2pControl()).isTrue();
        assertThat(packet.ipv6().hopLimit()).isZero();
        assertThat(packet.p2pControl().eventType()).isEqualTo(eventType);
        assertThat(TestPackets.bytes(buffer, packet.p2pControl().bodyIndex(), packet.p2pControl().bodyLength())).isEqualTo(body);
        assertThat(TestPackets.bytes(buffer, packet.payloadIndex() + 1, 7)).containsOnly(0);
    }

    private void assertBuiltTransport(PacketSpec spec) {
        switch (spec.kind()) {
            case UDP -> {
                UdpHeader udp = packet.udp();
                assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.UDP);
                assertThat(udp.sourcePort()).isEqualTo(spec.sourcePort());
                assertThat(udp.destinationPort()).isEqualTo(spec.destinationPort());
                assertThat(udp.checksum()).isNotZero();
                assertPayload(udp.payloadIndex(), udp.payloadLength(), spec);
            }
            case TCP -> {
                TcpHeader tcp = packet.tcp();
                assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.TCP);
                assertThat(tcp.sourcePort()).isEqualTo(spec.sourcePort());
                assertThat(tcp.destinationPort()).isEqualTo(spec.destinationPort());
                assertThat(tcp.sequenceNumber()).isEqualTo(spec.tcp().sequenceNumber());
                assertThat(tcp.acknowledgmentNumber()).isEqualTo(spec.tcp().acknowledgmentNumber());
                assertThat(tcp.flags()).isEqualTo(spec.tcp().flags());
                assertThat(tcp.window()).isEqualTo(spec.tcp().window());
                assertPayload(tcp.payloadIndex(), tcp.payloadLength(), spec);
            }
            case ECHO_REQUEST, ECHO_REPLY -> {
                IcmpMessage icmp = packet.icmp();
                assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.ICMP_ECHO);
                assertThat(icmp.isEchoRequest()).isEqualTo(spec.kind() == PacketSpec.Kind.ECHO_REQUEST);
                assertThat(icmp.isEchoReply()).isEqualTo(spec.kind() == PacketSpec.Kind.ECHO_REPLY);
                assertThat(icmp.identifier()).isEqualTo(spec.sourcePort());
                assertThat(icmp.sequence()).isEqualTo(spec.destinationPort());
                assertPayload(icmp.bodyIndex(), icmp.bodyLength(), spec);
            }
        }
    }

    private void assertPayload(int index, int length, PacketSpec spec) {
        assertThat(TestPackets.bytes(packet.buffer(), index, length)).isEqualTo(spec.payload());
    }

    @Provide
    Arbitrary<PacketSpec> packets() {
        return PacketSpec.packets(1200);
    }
}
