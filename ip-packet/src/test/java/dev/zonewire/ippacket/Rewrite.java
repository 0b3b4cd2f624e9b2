package dev.zonewire.ippacket;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** One NAT rewrite, as jqwik generates it; an address is cut to the packet's family when applied. */
record Rewrite(Field field, long high, long low, int port) {

    enum Field { SOURCE_ADDRESS, DESTINATION_ADDRESS, SOURCE_PORT, DESTINATION_PORT }

    void applyTo(IpPacket packet) {
        IpAddress address = packet.isIpv4() ? new Ipv4Address((int) low) : new Ipv6Address(high, low);
        switch (field) {
            case SOURCE_ADDRESS -> packet.setSource(address);
            case DESTINATION_ADDRESS -> packet.setDestination(address);
            case SOURCE_PORT -> {
                if (packet.flowProtocol() != FlowProtocol.UNSUPPORTED) {
                    packet.setSourcePort(port);
                }
            }
            case DESTINATION_PORT -> {
                if (packet.flowProtocol() != FlowProtocol.UNSUPPORTED) {
                    packet.setDestinationPort(port);
                }
            }
        }
    }

    static Arbitrary<List<Rewrite>> sequences() {
        return Combinators.combine(Arbitraries.of(Field.class), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.integers().between(0, 0xFFFF))
                .as(Rewrite::new)
                .list().ofMinSize(1).ofMaxSize(6);
    }
}
