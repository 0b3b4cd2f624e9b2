package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
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
    private static final List<InetAddress> PROXIES = List.of(IpLiterals.parse("100.96.0.1"), IpLiterals.parse("100.96.0.2"),
            IpLiterals.parse("fd00:2021:1111:8000::"));
    private static final List<InetAddress> REALS = List.of(IpLiterals.parse("198.51.100.1"), IpLiterals.parse("2001:db8::1"));
    private static final long SECOND = 1_000_000_000L;

    record Packet(TransportProtocol protocol, int port, int proxy, int real, int secondsLater) {}

    @Property(tries = 300)
    void sessionsStayABijectionAndWithinTheirBound(@ForAll("packets") List<Packet> packets) {
        NatTable nat = new NatTable(8);
        Map<NatTable.Key, NatTable.Key> live = new HashMap<>();
        long now = 0;

        for (Packet packet : packets) {
            now += packet.secondsLater() * SECOND;
            nat.handleTimeout(now);
            InetAddress proxy = PROXIES.get(packet.proxy());
            InetAddress real = REALS.get(packet.real());
            int port = nat.translateOutgoing(packet.protocol(), packet.port(), proxy, real, now);
            if (port >= 0) {
                NatTable.Key outside = new NatTable.Key(packet.protocol(), port, real);
                live.put(outside, new NatTable.Key(packet.protocol(), packet.port(), proxy));
                assertThat(nat.translateIncoming(packet.protocol(), port, real, now)).isEqualTo(live.get(outside));
            }
            assertThat(nat.size()).isLessThanOrEqualTo(8);
        }
        long end = now;
        List<NatTable.Key> insides = live.keySet().stream()
                .map(outside -> nat.translateIncoming(outside.protocol(), outside.port(), outside.address(), end))
                .filter(Objects::nonNull)
                .toList();
        assertThat(insides).as("no two outside keys lead to the same flow").doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<List<Packet>> packets() {
        return Combinators.combine(Arbitraries.of(TransportProtocol.TCP, TransportProtocol.UDP, TransportProtocol.ICMP_ECHO),
                        Arbitraries.of(1, 2, 1000, 65535), Arbitraries.integers().between(0, PROXIES.size() - 1),
                        Arbitraries.integers().between(0, REALS.size() - 1), Arbitraries.of(0, 0, 1, 30, 61))
                .as(Packet::new).list().ofMaxSize(60);
    }
}
