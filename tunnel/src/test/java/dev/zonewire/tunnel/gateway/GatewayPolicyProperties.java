package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random grants, revocations, expiries and packets against a simple model of what the portal granted:
 * a packet is only ever forwarded to a destination that some unexpired granted resource covers and
 * whose own filters allow it, and NAT sessions never outgrow their bound.
 */
class GatewayPolicyProperties {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final Inet4Address CLIENT_V4 = IpLiterals.parseIpv4("100.64.0.1");
    private static final Inet6Address CLIENT_V6 = IpLiterals.parseIpv6("fd00:2021:1111::1");
    private static final List<IpNetwork> NETWORKS = List.of(IpNetwork.parse("10.0.0.0/8"), IpNetwork.parse("10.1.0.0/16"),
            IpNetwork.parse("10.1.2.0/24"), IpNetwork.parse("192.168.0.0/24"), IpNetwork.parse("2001:db8::/64"));
    private static final List<String> DESTINATIONS = List.of("10.0.0.1", "10.1.0.1", "10.1.2.3", "192.168.0.9", "172.16.0.1",
            "2001:db8::5", "2001:db9::1", "8.8.8.8", "100.64.0.2", "fd00:2021:1111::2", "169.254.169.254", "fe80::1");
    /** What no resource opens (the tunnel's peers) and what the Internet resource does not (link-local segments). */
    private static final List<IpNetwork> NEVER = List.of(AddressPlan.PEERS_V4, AddressPlan.PEERS_V6);
    private static final List<IpNetwork> NOT_INTERNET = List.of(IpNetwork.parse("169.254.0.0/16"), IpNetwork.parse("fe80::/10"));
    private static final long SECOND = 1_000_000_000L;
    private static final Instant EPOCH = Instant.ofEpochSecond(1_700_000_000L);

    sealed interface Step permits Grant, Revoke, Tick, Send {}

    record Grant(int resource, int network, List<Filter> filters, boolean internet, int lifetimeSeconds) implements Step {}

    record Revoke(int resource) implements Step {}

    record Tick(int seconds) implements Step {}

    record Send(TransportProtocol protocol, int destination, int port) implements Step {}

    private record Granted(GatewayResource resource, long expiresAt) {}

    @Property(tries = 300)
    void nothingReachesADestinationOutsideTheGrantedResourcesAndTheirFilters(@ForAll("steps") List<Step> steps) {
        GatewayAccess access = new GatewayAccess(0);
        Map<Integer, Granted> model = new HashMap<>();
        long now = 0;
        Instant utc = EPOCH;

        for (Step step : steps) {
            switch (step) {
                case Grant grant -> {
                    UUID id = new UUID(0, grant.resource());
                    GatewayResource resource = grant.internet()
                            ? new GatewayResource.Internet(id)
                            : new GatewayResource.Cidr(id, NETWORKS.get(grant.network()), "r", grant.filters());
                    long expiresAt = utc.getEpochSecond() + grant.lifetimeSeconds();
                    access.authorizeFlow(flow(resource, expiresAt), now);
                    // A grant of a resource the client already holds takes its new definition but keeps its expiry.
                    Granted held = model.get(grant.resource());
                    if (held == null) {
                        model.put(grant.resource(), new Granted(resource, expiresAt));
                    } else if (held.resource().getClass() == resource.getClass()) {
                        model.put(grant.resource(), new Granted(resource, held.expiresAt()));
                    }
                }
                case Revoke revoke -> {
                    access.rejectAccess(new GatewayInbound.RejectAccess(null, CLIENT, new UUID(0, revoke.resource())));
                    model.remove(revoke.resource());
                }
                case Tick tick -> {
                    now += tick.seconds() * SECOND;
                    utc = utc.plusSeconds(tick.seconds());
                    access.handleTimeout(now, utc);
                    long nowSeconds = utc.getEpochSecond();
                    model.values().removeIf(granted -> granted.expiresAt() <= nowSeconds);
                }
                case Send send -> {
                    InetAddress destination = IpLiterals.parse(DESTINATIONS.get(send.destination()));
                    String source = destination instanceof Inet4Address ? "100.64.0.1" : "fd00:2021:1111::1";
                    IpPacket packet = packet(send, source, DESTINATIONS.get(send.destination()));
                    byte[] before = TestPackets.bytes(packet);
                    TransportProtocol protocol = TransportProtocol.of(packet);
                    Verdict verdict = access.outbound(CLIENT, packet, now);
                    if (verdict == Verdict.FORWARD) {
                        assertThat(TestPackets.bytes(packet)).as("forwarded unchanged").isEqualTo(before);
                        assertThat(model.values()).as("some granted resource allows %s", send)
                                .anySatisfy(granted -> assertThat(permits(granted.resource(), protocol, destination, send.port())).isTrue());
                    }
                }
            }
        }
    }

    private static boolean permits(GatewayResource resource, TransportProtocol protocol, InetAddress destination, int port) {
        if (NEVER.stream().anyMatch(network -> network.contains(destination))) {
            return false;
        }
        return switch (resource) {
            case GatewayResource.Internet internet -> NOT_INTERNET.stream().noneMatch(network -> network.contains(destination));
            case GatewayResource.Cidr cidr -> cidr.address().contains(destination)
                    && (cidr.filters().isEmpty() || cidr.filters().stream().anyMatch(filter -> switch (filter) {
                        case Filter.Tcp tcp -> protocol == TransportProtocol.TCP && tcp.portRangeStart() <= port && port <= tcp.portRangeEnd();
                        case Filter.Udp udp -> protocol == TransportProtocol.UDP && udp.portRangeStart() <= port && port <= udp.portRangeEnd();
                        case Filter.Icmp icmp -> protocol.isIcmp();
                    }));
            case GatewayResource.Dns dns -> false;
        };
    }

    /** A packet of the step's protocol: ICMP_OTHER is a port unreachable, OTHER an IPv4 GRE packet (IPv6 falls back to UDP). */
    private static IpPacket packet(Send send, String source, String destination) {
        return switch (send.protocol()) {
            case TCP -> TestPackets.tcp(source, 40000, destination, send.port());
            case UDP -> TestPackets.udp(source, 40000, destination, send.port());
            case ICMP_ECHO -> TestPackets.echoRequest(source, destination, send.port(), 1);
            case ICMP_OTHER -> TestPackets.portUnreachable(TestPackets.udp(destination, send.port(), source, 40000));
            case OTHER -> source.contains(":") ? TestPackets.udp(source, 40000, destination, send.port())
                    : TestPackets.ipv4Protocol(source, destination, 47);
        };
    }

    private static GatewayInbound.AuthorizeFlow flow(GatewayResource resource, long expiresAt) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.of(new byte[32]), Secret.ofBytes(new byte[32]), CLIENT_V4, CLIENT_V6);
        IceCredentials ice = new IceCredentials("user", Secret.of("password"));
        return new GatewayInbound.AuthorizeFlow("ref", null, null, resource, ice, client, ice, expiresAt);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> port = Arbitraries.of(22, 53, 80, 443, 8080);
        Arbitrary<Filter> filter = Arbitraries.oneOf(List.of(
                port.map(p -> (Filter) new Filter.Tcp(p, p)),
                Combinators.combine(port, port).as((a, b) -> (Filter) new Filter.Udp(Math.min(a, b), Math.max(a, b))),
                Arbitraries.just(new Filter.Icmp())));
        Arbitrary<Step> grant = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, NETWORKS.size() - 1),
                filter.list().ofMaxSize(3), Arbitraries.of(false, false, false, true), Arbitraries.integers().between(1, 20)).as(Grant::new);
        Arbitrary<Step> revoke = Arbitraries.integers().between(0, 4).map(Revoke::new);
        Arbitrary<Step> tick = Arbitraries.integers().between(1, 5).map(Tick::new);
        Arbitrary<Step> send = Combinators.combine(Arbitraries.of(TransportProtocol.values()), Arbitraries.integers().between(0, DESTINATIONS.size() - 1), port)
                .as(Send::new);
        return Arbitraries.frequencyOf(Tuple.of(3, grant), Tuple.of(1, revoke), Tuple.of(2, tick), Tuple.of(8, send)).list().ofMaxSize(50);
    }
}
