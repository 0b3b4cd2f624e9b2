package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientOnGatewayTest {
    private static final Inet4Address CLIENT_V4 = IpLiterals.parseIpv4("100.64.0.1");
    private static final Inet6Address CLIENT_V6 = IpLiterals.parseIpv6("fd00:2021:1111::1");
    private static final long SECOND = 1_000_000_000L;
    private static final List<InetAddress> PROXIES = List.of(ip("100.96.0.1"), ip("100.96.0.2"), ip("100.96.0.3"), ip("100.96.0.4"),
            ip("fd00:2021:1111:8000::"), ip("fd00:2021:1111:8000::1"), ip("fd00:2021:1111:8000::2"), ip("fd00:2021:1111:8000::3"));

    private final ClientOnGateway client = new ClientOnGateway(UUID.randomUUID(), CLIENT_V4, CLIENT_V6);

    @Test
    void packetsToACidrResourcePassItsFiltersAndNothingElse() {
        client.addResource(cidr("172.20.0.0/16", new Filter.Tcp(80, 80)), null);

        assertThat(client.outbound(tcp(CLIENT_V4, "172.20.1.1", 80), 0)).isInstanceOf(Verdict.Forward.class);
        assertThat(client.outbound(tcp(CLIENT_V4, "172.20.1.1", 22), 0)).isEqualTo(new Verdict.Drop(DropReason.DESTINATION_NOT_ALLOWED));
        assertThat(client.outbound(tcp(CLIENT_V4, "172.21.0.1", 80), 0)).isEqualTo(new Verdict.Drop(DropReason.DESTINATION_NOT_ALLOWED));
    }

    @Test
    void aPacketFromAnyAddressButTheClientsTunnelAddressIsDropped() {
        client.addResource(cidr("172.20.0.0/16"), null);

        assertThat(client.outbound(tcp(ip("100.64.0.2"), "172.20.1.1", 80), 0)).isEqualTo(new Verdict.Drop(DropReason.SOURCE_NOT_ALLOWED));
        assertThat(client.outbound(tcp(CLIENT_V6, "172.20.1.1", 80), 0)).isInstanceOf(Verdict.Forward.class);
    }

    @Test
    void twoResourcesOnTheSameNetworkExpireOneAtATime() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        client.addResource(new GatewayResource.Cidr(first, net("10.0.0.0/24"), "a", List.of(new Filter.Tcp(80, 80))), 1000L);
        client.addResource(new GatewayResource.Cidr(second, net("10.0.0.0/24"), "b", List.of(new Filter.Udp(53, 53))), 2000L);

        assertThat(client.expireResources(Instant.ofEpochSecond(1000))).containsExactly(first);

        assertThat(client.outbound(tcp(CLIENT_V4, "10.0.0.1", 80), 0)).isInstanceOf(Verdict.Drop.class);
        assertThat(client.outbound(udp(CLIENT_V4, "10.0.0.1", 53), 0)).isInstanceOf(Verdict.Forward.class);
        assertThat(client.expireResources(Instant.ofEpochSecond(1999))).isEmpty();
        assertThat(client.expireResources(Instant.ofEpochSecond(2000))).containsExactly(second);
        assertThat(client.isEmpty()).isTrue();
    }

    @Test
    void theProxyIpOfADnsResourceAndACidrContainingItsRealIpKeepSeparateFilters() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of(new Filter.Tcp(443, 443))), null);
        client.addResource(cidr("198.51.100.0/24", new Filter.Udp(53, 53)), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        assertThat(client.outbound(tcp(CLIENT_V4, "100.96.0.1", 443), 0)).isInstanceOf(Verdict.Forward.class);
        assertThat(client.outbound(udp(CLIENT_V4, "100.96.0.1", 53), 0)).isInstanceOf(Verdict.Drop.class);
        assertThat(client.outbound(udp(CLIENT_V4, "198.51.100.7", 53), 0)).isInstanceOf(Verdict.Forward.class);
        assertThat(client.outbound(tcp(CLIENT_V4, "198.51.100.7", 443), 0)).isInstanceOf(Verdict.Drop.class);
    }

    @Test
    void theInternetResourceOpensEverythingButProxyIps() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of(new Filter.Tcp(443, 443))), null);
        client.addResource(new GatewayResource.Internet(UUID.randomUUID()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        assertThat(client.outbound(udp(CLIENT_V4, "9.9.9.9", 53), 0)).isInstanceOf(Verdict.Forward.class);
        assertThat(client.outbound(udp(CLIENT_V4, "100.96.0.1", 53), 0)).isInstanceOf(Verdict.Drop.class);
        assertThat(client.outbound(udp(CLIENT_V4, "100.96.0.9", 53), 0)).isInstanceOf(Verdict.Drop.class);
    }

    @Test
    void proxyIpsCycleThroughTheRealIpsOfTheirFamily() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "?.httpbin", "httpbin", List.of()), null);

        NatSetup outcome = client.setupNat("a.httpbin", dns, List.of(ip("2001:db8::1"), ip("198.51.100.1"), ip("198.51.100.2")), PROXIES, 0);

        assertThat(outcome).isEqualTo(NatSetup.ACTIVE);
        assertThat(PROXIES.subList(0, 4)).extracting(client::translationOf)
                .containsExactly(ip("198.51.100.1"), ip("198.51.100.2"), ip("198.51.100.1"), ip("198.51.100.2"));
        assertThat(PROXIES.subList(4, 8)).extracting(client::translationOf).containsOnly(ip("2001:db8::1"));
    }

    @Test
    void aNameWithOnlyIpv6AddressesIsReachedThroughIpv4ProxiesByNat46() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "v6only.example.com", "v6", List.of()), null);
        client.setupNat("v6only.example.com", dns, List.of(ip("2001:db8::7")), PROXIES, 0);

        Verdict verdict = client.outbound(new Flow(TransportProtocol.TCP, CLIENT_V4, 40000, ip("100.96.0.1"), 443), 0);

        Flow translated = ((Verdict.Forward) verdict).flow();
        assertThat(translated).isEqualTo(new Flow(TransportProtocol.TCP, CLIENT_V6, 40000, ip("2001:db8::7"), 443));
        Flow reply = client.inbound(new Flow(TransportProtocol.TCP, ip("2001:db8::7"), 443, CLIENT_V6, 40000), SECOND);
        assertThat(reply).isEqualTo(new Flow(TransportProtocol.TCP, ip("100.96.0.1"), 443, CLIENT_V4, 40000));
    }

    @Test
    void anEchoReplyGetsTheProxyIpAndTheClientsIdentifierBack() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of(new Filter.Icmp())), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        Flow out = ((Verdict.Forward) client.outbound(new Flow(TransportProtocol.ICMP_ECHO, CLIENT_V4, 77, ip("100.96.0.2"), 77), 0)).flow();
        Flow back = client.inbound(new Flow(TransportProtocol.ICMP_ECHO, ip("198.51.100.7"), out.sourcePort(), CLIENT_V4, out.sourcePort()), 0);

        assertThat(out.destination()).isEqualTo(ip("198.51.100.7"));
        assertThat(back).isEqualTo(new Flow(TransportProtocol.ICMP_ECHO, ip("100.96.0.2"), 77, CLIENT_V4, 77));
    }

    @Test
    void aProxyIpWithoutNatIsNotReachable() {
        client.addResource(new GatewayResource.Dns(UUID.randomUUID(), "*.example.com", "web", List.of()), null);

        assertThat(client.outbound(tcp(CLIENT_V4, "100.96.0.1", 443), 0)).isEqualTo(new Verdict.Drop(DropReason.DESTINATION_NOT_ALLOWED));
    }

    @Test
    void natIsRefusedForANameOutsideTheResourcesPattern() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);

        assertThat(client.setupNat("evil.org", dns, List.of(ip("198.51.100.7")), PROXIES, 0)).isEqualTo(NatSetup.NAME_OUTSIDE_RESOURCE);
        assertThat(client.setupNat("a.example.com", UUID.randomUUID(), List.of(ip("198.51.100.7")), PROXIES, 0)).isEqualTo(NatSetup.UNKNOWN_RESOURCE);
        assertThat(client.setupNat("a.example.com", dns, List.of(ip("198.51.100.7")), List.of(ip("10.0.0.1")), 0)).isEqualTo(NatSetup.NOT_A_PROXY_ADDRESS);
        assertThat(client.translationOf(ip("100.96.0.1"))).isNull();
    }

    @Test
    void aNameWhoseRealIpsAllWentSilentIsQueuedForResolutionOnce() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        client.outbound(tcp(CLIENT_V4, "100.96.0.1", 443), 120 * SECOND);
        client.handleTimeout(121 * SECOND);

        assertThat(client.pollRefresh()).isEqualTo(new RefreshDns(client.id(), dns, "app.example.com"));
        assertThat(client.pollRefresh()).isNull();
    }

    @Test
    void aChangedResolutionMovesTheSameProxyIpsToTheNewRealIps() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        client.refreshTranslation("app.example.com", dns, List.of(ip("198.51.100.9")), SECOND);

        assertThat(PROXIES.subList(0, 4)).extracting(client::translationOf).containsOnly(ip("198.51.100.9"));
    }

    @Test
    void aResourceUpdateCannotChangeItsKind() {
        UUID id = UUID.randomUUID();
        client.addResource(new GatewayResource.Cidr(id, net("10.0.0.0/8"), "lan", List.of()), null);

        assertThat(client.updateResource(new GatewayResource.Dns(id, "*.x", "x", List.of()))).isFalse();
        assertThat(client.updateResource(new GatewayResource.Cidr(id, net("10.0.0.0/8"), "lan", List.of(new Filter.Icmp())))).isTrue();
        assertThat(client.outbound(tcp(CLIENT_V4, "10.1.1.1", 80), 0)).isInstanceOf(Verdict.Drop.class);
    }

    @Test
    void aProtocolWithoutPortsToAProxyIpCannotBeTranslated() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        Verdict verdict = client.outbound(new Flow(TransportProtocol.OTHER, CLIENT_V4, 0, ip("100.96.0.1"), 0), 0);

        assertThat(verdict).isEqualTo(new Verdict.Drop(DropReason.UNTRANSLATABLE_PROTOCOL));
    }

    static GatewayResource.Cidr cidr(String network, Filter... filters) {
        return new GatewayResource.Cidr(UUID.randomUUID(), net(network), network, List.of(filters));
    }

    static Flow tcp(InetAddress source, String destination, int port) {
        return new Flow(TransportProtocol.TCP, source, 40000, ip(destination), port);
    }

    static Flow udp(InetAddress source, String destination, int port) {
        return new Flow(TransportProtocol.UDP, source, 40000, ip(destination), port);
    }

    static IpNetwork net(String text) {
        return IpNetwork.parse(text);
    }

    static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }
}
