package dev.zonewire.ippacket;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** A packet to build with {@link PacketBuilder}, as jqwik generates it. For echo, the ports are identifier and sequence. */
record PacketSpec(Kind kind, IpAddress source, IpAddress destination, int sourcePort, int destinationPort,
                  TcpFields tcp, byte[] payload) {

    enum Kind { UDP, TCP, ECHO_REQUEST, ECHO_REPLY }

    record TcpFields(long sequenceNumber, long acknowledgmentNumber, int flags, int window) {}

    int writeTo(ByteBuffer out, int offset) {
        ByteBuffer data = ByteBuffer.wrap(payload);
        return switch (kind) {
            case UDP -> PacketBuilder.udp(out, offset, source, destination, sourcePort, destinationPort, data);
            case TCP -> PacketBuilder.tcp(out, offset, source, destination, sourcePort, destinationPort,
                    tcp.sequenceNumber(), tcp.acknowledgmentNumber(), tcp.flags(), tcp.window(), data);
            case ECHO_REQUEST -> PacketBuilder.icmpEchoRequest(out, offset, source, destination, sourcePort, destinationPort, data);
            case ECHO_REPLY -> PacketBuilder.icmpEchoReply(out, offset, source, destination, sourcePort, destinationPort, data);
        };
    }

    boolean isIpv4() {
        return source instanceof Ipv4Address;
    }

    byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(2000);
        int length = writeTo(buffer, 0);
        return TestPackets.bytes(buffer, 0, length);
    }

    /** False when RFC 1812 / RFC 4443 forbid an ICMP error about this packet (multicast, unspecified source...). */
    boolean isAnswerableWithAnIcmpError() {
        IpPacket packet = new IpPacket();
        byte[] bytes = toBytes();
        packet.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
        return IcmpErrors.destinationUnreachable(packet, IcmpErrors.Unreachable.NO_ROUTE, ByteBuffer.allocate(1280), 0)
                != IcmpErrors.NOT_SENT;
    }

    static Arbitrary<Ipv4Address> ipv4Addresses() {
        return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE).map(Ipv4Address::new);
    }

    static Arbitrary<Ipv6Address> ipv6Addresses() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Ipv6Address::new);
    }

    /** Packets of both families with payloads up to {@code maxPayload} bytes. */
    static Arbitrary<PacketSpec> packets(int maxPayload) {
        return Arbitraries.oneOf(ipv4Packets(maxPayload), ipv6Packets(maxPayload));
    }

    static Arbitrary<PacketSpec> ipv4Packets(int maxPayload) {
        return packets(ipv4Addresses(), maxPayload);
    }

    static Arbitrary<PacketSpec> ipv6Packets(int maxPayload) {
        return packets(ipv6Addresses(), maxPayload);
    }

    private static Arbitrary<PacketSpec> packets(Arbitrary<? extends IpAddress> addresses, int maxPayload) {
        Arbitrary<IpAddress> address = addresses.map(IpAddress.class::cast);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<TcpFields> tcpFields = Combinators.combine(u32, u32, Arbitraries.integers().between(0, 0xFF), u16)
                .as(TcpFields::new);
        return Combinators.combine(Arbitraries.of(Kind.class), address, address, u16, u16, tcpFields,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(maxPayload))
                .as(PacketSpec::new);
    }
}
