package dev.zonewire.tunnel.gateway;

import static dev.zonewire.tunnel.TestPackets.echoReply;
import static dev.zonewire.tunnel.TestPackets.echoRequest;
import static dev.zonewire.tunnel.TestPackets.ipv4Protocol;
import static dev.zonewire.tunnel.TestPackets.tcp;
import static dev.zonewire.tunnel.TestPackets.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientOnGatewayTest {
    static final String CLIENT_V4 = "100.64.0.1";
    static final String CLIENT_V6 = "fd00:2021:1111::1";
    private static final long SECOND = 1_000_000_000L;
    static final List<InetAddress> PROXIES = List.of(ip("100.96.0.1"), ip("100.96.0.2"), ip("100.96.0.3"), ip("100.96.0.4"),
            ip("fd00:2021:1111:8000::"), ip("fd00:2021:1111:8000::1"), ip("fd00:2021:1111:8000::2"), ip("fd00:2021:1111:8000::3"));

    private final ClientOnGateway client = new ClientOnGateway(UUID.randomUUID(), IpLiterals.parseIpv4(CLIENT_V4),
            IpLiterals.parseIpv6(CLIENT_V6));

    @Test
    void packetsToACidrResourcePassItsFiltersAndNothingElse() {
        client.addResource(cidr("172.20.0.0/16", new Filter.Tcp(80, 80)), null);

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "172.20.1.1", 80), 0)).isNull();
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "172.20.1.1", 22), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "172.21.0.1", 80), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void aPacketFromAnyAddressButTheClientsTunnelAddressIsDropped() {
        client.addResource(cidr("172.20.0.0/16"), null);
        client.addResource(cidr("2001:db8::/64"), null);

        assertThat(client.outbound(tcp("100.64.0.2", 40000, "172.20.1.1", 80), 0)).isEqualTo(DropReason.SOURCE_NOT_ALLOWED);
        assertThat(client.outbound(tcp(CLIENT_V6, 40000, "2001:db8::1", 80), 0)).isNull();
    }

    @Test
    void twoResourcesOnTheSameNetworkExpireOneAtATime() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        client.addResource(new GatewayResource.Cidr(first, net("10.0.0.0/24"), "a", List.of(new Filter.Tcp(80, 80))), 1000L);
        client.addResource(new GatewayResource.Cidr(second, net("10.0.0.0/24"), "b", List.of(new Filter.Udp(53, 53))), 2000L);

        assertThat(client.expireResources(Instant.ofEpochSecond(1000))).containsExactly(first);

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "10.0.0.1", 80), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
        assertThat(client.outbound(udp(CLIENT_V4, 40000, "10.0.0.1", 53), 0)).isNull();
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

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "100.96.0.1", 443), 0)).isNull();
        assertThat(client.outbound(udp(CLIENT_V4, 40000, "100.96.0.1", 53), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
        assertThat(client.outbound(udp(CLIENT_V4, 40000, "198.51.100.7", 53), 0)).isNull();
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "198.51.100.7", 443), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void theInternetResourceOpensEverythingButProxyIps() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of(new Filter.Tcp(443, 443))), null);
        client.addResource(new GatewayResource.Internet(UUID.randomUUID()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        assertThat(client.outbound(udp(CLIENT_V4, 40000, "9.9.9.9", 53), 0)).isNull();
        assertThat(client.outbound(udp(CLIENT_V4, 40000, "100.96.0.1", 53), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
        assertThat(client.outbound(udp(CLIENT_V4, 40000, "100.96.0.9", 53), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void theInternetResourceDoesNotOpenTheGatewaysLinkLocalSegment() {
        client.addResource(new GatewayResource.Internet(UUID.randomUUID()), null);

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "169.254.169.254", 80), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
        assertThat(client.outbound(tcp(CLIENT_V6, 40000, "fe80::1", 80), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);

        client.addResource(cidr("169.254.0.0/16"), null);
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "169.254.169.254", 80), 0)).isNull();
    }

    @Test
    void proxyIpsCycleThroughTheRealIpsOfTheirFamily() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "?.httpbin", "httpbin", List.of()), null);

        NatSetup outcome = client.setupNat("a.httpbin", dns, List.of(ip("2001:db8::1"), ip("198.51.100.1"), ip("198.51.100.2")), PROXIES, 0);

        assertThat(outcome).isEqualTo(NatSetup.ACTIVE);
        assertThat(PROXIES.subList(0, 4)).extracting(proxy -> client.translationOf(IpAddress.of(proxy))).containsExactly(
                IpAddress.parse("198.51.100.1"), IpAddress.parse("198.51.100.2"), IpAddress.parse("198.51.100.1"), IpAddress.parse("198.51.100.2"));
        assertThat(PROXIES.subList(4, 8)).extracting(proxy -> client.translationOf(IpAddress.of(proxy))).containsOnly(IpAddress.parse("2001:db8::1"));
    }

    @Test
    void aNameWithOnlyIpv6AddressesIsReachedThroughIpv4ProxiesByNat46() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "v6only.example.com", "v6", List.of()), null);
        client.setupNat("v6only.example.com", dns, List.of(ip("2001:db8::7")), PROXIES, 0);
        IpPacket request = tcp(CLIENT_V4, 40000, "100.96.0.1", 443);

        assertThat(client.outbound(request, 0)).isNull();

        assertThat(request.source()).isEqualTo(IpAddress.parse(CLIENT_V6));
        assertThat(request.destination()).isEqualTo(IpAddress.parse("2001:db8::7"));
        assertThat(request.sourcePort()).isEqualTo(40000);
        assertThat(request.verifyChecksums()).isEqualTo(PacketStatus.VALID);
        IpPacket reply = tcp("2001:db8::7", 443, CLIENT_V6, 40000);
        assertThat(client.inbound(reply, SECOND)).isNull();
        assertThat(reply.source()).isEqualTo(IpAddress.parse("100.96.0.1"));
        assertThat(reply.destination()).isEqualTo(IpAddress.parse(CLIENT_V4));
        assertThat(reply.destinationPort()).isEqualTo(40000);
        assertThat(reply.verifyChecksums()).isEqualTo(PacketStatus.VALID);
    }

    @Test
    void anEchoReplyGetsTheProxyIpAndTheClientsIdentifierBack() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of(new Filter.Icmp())), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);
        IpPacket out = echoRequest(CLIENT_V4, "100.96.0.2", 77, 1);

        client.outbound(out, 0);
        IpPacket back = echoReply("198.51.100.7", CLIENT_V4, out.sourcePort(), 1);
        client.inbound(back, 0);

        assertThat(out.destination()).isEqualTo(IpAddress.parse("198.51.100.7"));
        assertThat(back.source()).isEqualTo(IpAddress.parse("100.96.0.2"));
        assertThat(back.icmp().identifier()).isEqualTo(77);
    }

    @Test
    void aProxyIpWithoutNatIsNotReachable() {
        client.addResource(new GatewayResource.Dns(UUID.randomUUID(), "*.example.com", "web", List.of()), null);

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "100.96.0.1", 443), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void natIsRefusedForANameOutsideTheResourcesPattern() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);

        assertThat(client.setupNat("evil.org", dns, List.of(ip("198.51.100.7")), PROXIES, 0)).isEqualTo(NatSetup.NAME_OUTSIDE_RESOURCE);
        assertThat(client.setupNat("a.example.com", UUID.randomUUID(), List.of(ip("198.51.100.7")), PROXIES, 0)).isEqualTo(NatSetup.UNKNOWN_RESOURCE);
        assertThat(client.setupNat("a.example.com", dns, List.of(ip("198.51.100.7")), List.of(ip("10.0.0.1")), 0)).isEqualTo(NatSetup.NOT_A_PROXY_ADDRESS);
        assertThat(client.translationOf(IpAddress.parse("100.96.0.1"))).isNull();
    }

    @Test
    void aClientCannotMakeTheGatewayTranslateMoreThanItsBoundOfNames() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "**.example.com", "web", List.of()), null);
        int names = ClientOnGateway.MAX_TRANSLATIONS / 8;
        for (int i = 0; i < names; i++) {
            assertThat(client.setupNat("n" + i + ".example.com", dns, List.of(ip("198.51.100.7")), proxies(i), 0)).isEqualTo(NatSetup.ACTIVE);
        }

        assertThat(client.setupNat("one-more.example.com", dns, List.of(ip("198.51.100.7")), proxies(names), 0)).isEqualTo(NatSetup.TOO_MANY_NAMES);
        assertThat(client.setupNat("n0.example.com", dns, List.of(ip("198.51.100.8")), proxies(0), 0)).isEqualTo(NatSetup.ACTIVE);
        assertThat(client.translationCount()).isEqualTo(ClientOnGateway.MAX_TRANSLATIONS);
    }

    @Test
    void aNameWhoseRealIpsAllWentSilentIsQueuedForResolutionOnce() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        client.outbound(tcp(CLIENT_V4, 40000, "100.96.0.1", 443), 120 * SECOND);
        client.handleTimeout(121 * SECOND);
        client.handleTimeout(122 * SECOND);

        assertThat(client.pollRefresh()).isEqualTo(new RefreshDns(client.id(), dns, "app.example.com"));
        assertThat(client.pollRefresh()).isNull();
    }

    @Test
    void aChangedResolutionMovesTheSameProxyIpsToTheNewRealIps() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        client.refreshTranslation("app.example.com", dns, List.of(ip("198.51.100.9")), SECOND);

        assertThat(PROXIES.subList(0, 4)).extracting(proxy -> client.translationOf(IpAddress.of(proxy))).containsOnly(IpAddress.parse("198.51.100.9"));
    }

    @Test
    void aDnsResourceUpdatedToANarrowerPatternNoLongerTranslatesTheNamesItDropped() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("db.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        assertThat(client.updateResource(new GatewayResource.Dns(dns, "wiki.example.com", "web", List.of()))).isTrue();

        assertThat(client.translationOf(IpAddress.parse("100.96.0.1"))).isNull();
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "100.96.0.1", 443), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void aResourceUpdateCannotChangeItsKind() {
        UUID id = UUID.randomUUID();
        client.addResource(new GatewayResource.Cidr(id, net("10.0.0.0/8"), "lan", List.of()), null);

        assertThat(client.updateResource(new GatewayResource.Dns(id, "*.x", "x", List.of()))).isFalse();
        assertThat(client.updateResource(new GatewayResource.Cidr(id, net("10.0.0.0/8"), "lan", List.of(new Filter.Icmp())))).isTrue();
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "10.1.1.1", 80), 0)).isEqualTo(DropReason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void aProtocolWithoutPortsToAProxyIpCannotBeTranslated() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);

        assertThat(client.outbound(ipv4Protocol(CLIENT_V4, "100.96.0.1", 47), 0)).isEqualTo(DropReason.UNTRANSLATABLE_PROTOCOL);
    }

    @Test
    void aRevokedDnsResourceEndsItsNatSessionsSoRepliesAreNoLongerTranslated() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);
        client.outbound(udp(CLIENT_V4, 40000, "100.96.0.1", 53), 0);

        client.removeResource(dns);
        IpPacket reply = udp("198.51.100.7", 53, CLIENT_V4, 40000);
        client.inbound(reply, SECOND);

        assertThat(client.natSessions()).isZero();
        assertThat(reply.source()).isEqualTo(IpAddress.parse("198.51.100.7"));
    }

    @Test
    void anExpiredDnsResourceEndsItsNatSessions() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), 1000L);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);
        client.outbound(udp(CLIENT_V4, 40000, "100.96.0.1", 53), 0);

        client.expireResources(Instant.ofEpochSecond(1000));

        assertThat(client.natSessions()).isZero();
    }

    @Test
    void aProxyIpMovedToANewRealIpNoLongerTranslatesRepliesFromTheOldOne() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "*.example.com", "web", List.of()), null);
        client.setupNat("app.example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);
        client.outbound(udp(CLIENT_V4, 40000, "100.96.0.1", 53), 0);

        client.refreshTranslation("app.example.com", dns, List.of(ip("198.51.100.9")), SECOND);
        IpPacket reply = udp("198.51.100.7", 53, CLIENT_V4, 40000);
        client.inbound(reply, SECOND);

        assertThat(reply.source()).isEqualTo(IpAddress.parse("198.51.100.7"));
    }

    @Test
    void namesWhoseProxyIpsWentToOtherNamesAreForgotten() {
        UUID dns = UUID.randomUUID();
        client.addResource(new GatewayResource.Dns(dns, "**.example.com", "web", List.of()), null);

        for (int i = 0; i < 1000; i++) {
            client.setupNat("n" + i + ".example.com", dns, List.of(ip("198.51.100.7")), PROXIES, 0);
        }
        client.setupNat("empty.example.com", dns, List.of(ip("198.51.100.7")), List.of(), 0);

        assertThat(client.resolvedNameCount()).isEqualTo(1);
    }

    @Test
    void anotherClientsTunnelAddressIsNotReachableEvenWithTheInternetResource() {
        client.addResource(new GatewayResource.Internet(UUID.randomUUID()), null);
        client.addResource(cidr("100.64.0.0/10"), null);

        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "100.64.0.2", 22), 0)).isEqualTo(DropReason.PEER_DESTINATION);
        assertThat(client.outbound(tcp(CLIENT_V6, 40000, "fd00:2021:1111::2", 22), 0)).isEqualTo(DropReason.PEER_DESTINATION);
        assertThat(client.outbound(tcp(CLIENT_V4, 40000, "100.127.0.1", 22), 0)).isNull();
    }

    static GatewayResource.Cidr cidr(String network, Filter... filters) {
        return new GatewayResource.Cidr(UUID.randomUUID(), net(network), network, List.of(filters));
    }

    static IpNetwork net(String text) {
        return IpNetwork.parse(text);
    }

    static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    /** The 8 proxy IPs of the {@code n}-th name, as the client's allocator hands them out (without the sentinel gap). */
    private static List<InetAddress> proxies(int n) {
        int base = 1 + 4 * n;
        return List.of(v4(base), v4(base + 1), v4(base + 2), v4(base + 3), v6(4 * n), v6(4 * n + 1), v6(4 * n + 2), v6(4 * n + 3));
    }

    private static InetAddress v4(int offset) {
        return ip("100.96." + (offset >>> 8) + "." + (offset & 0xFF));
    }

    private static InetAddress v6(int offset) {
        return ip("fd00:2021:1111:8000::" + Integer.toHexString(offset));
    }
}
