package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.net.Addresses;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Under any mix of flows and time, every live session translates its replies back to exactly its own flow. */
class NatTableProperties {
    private static final List<IpAddress> PROXIES = List.of(IpAddress.parse("100.96.0.1"), IpAddress.parse("100.96.0.2"),
            IpAddress.parse("fd00:2021:1111:8000::"));
    private static final List<IpAddress> REALS = List.of(IpAddress.parse("198.51.100.1"), IpAddress.parse("2001:db8::1"));
    private static final long SECOND = 1_000_000_000L;

    record Packet(TransportProtocol protocol, int port, int proxy, int real, int secondsLater) {}

    record Key(int protocol, int port, IpAddress address) {}

    @Property(tries = 300)
    void sessionsStayABijectionAndWithinTheirBound(@ForAll("packets") List<Packet> packets) {
        NatTable nat = new NatTable(8);
        Map<Key, Key> live = new HashMap<>();
        long now = 0;

        for (Packet packet : packets) {
            now += packet.secondsLater() * SECOND;
            nat.handleTimeout(now);
            IpAddress proxy = PROXIES.get(packet.proxy());
            IpAddress real = REALS.get(packet.real());
            int protocol = packet.protocol().ordinal();
            int port = nat.translateOutgoing(protocol, packet.port(), NatTableTest.to(proxy, real), now);
            if (port >= 0) {
                Key outside = new Key(protocol, port, real);
                live.put(outside, new Key(protocol, packet.port(), proxy));
                assertThat(inside(nat, outside, now)).isEqualTo(live.get(outside));
            }
            assertThat(nat.size()).isLessThanOrEqualTo(8);
        }
        long end = now;
        List<Key> insides = live.keySet().stream().map(outside -> inside(nat, outside, end)).filter(Objects::nonNull).toList();
        assertThat(insides).as("no two outside keys lead to the same flow").doesNotHaveDuplicates();
    }

    private static Key inside(NatTable nat, Key outside, long now) {
        IpAddress from = outside.address();
        NatTable.Session session = nat.translateIncoming(outside.protocol(), outside.port(), from.version(), Addresses.high(from),
                Addresses.low(from), now);
        return session == null ? null : new Key(session.protocol, session.insidePort, session.proxy);
    }

    @Provide
    Arbitrary<List<Packet>> packets() {
        return Combinators.combine(Arbitraries.of(TransportProtocol.TCP, TransportProtocol.UDP, TransportProtocol.ICMP_ECHO),
                        Arbitraries.of(1, 2, 1000, 65535), Arbitraries.integers().between(0, PROXIES.size() - 1),
                        Arbitraries.integers().between(0, REALS.size() - 1), Arbitraries.of(0, 0, 1, 30, 61))
                .as(Packet::new).list().ofMaxSize(60);
    }
}
