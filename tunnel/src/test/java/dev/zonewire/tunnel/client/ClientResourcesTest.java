package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.dns.Resolution;
import dev.zonewire.tunnel.dns.StubResolver;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ClientResourcesTest {
    private static final Site HQ = new Site(UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"), "HQ");
    private static final Site EXIT = new Site(UUID.fromString("eb94482a-94f4-47cb-8127-14fb3afa5516"), "Exit");
    private static final UUID GATEWAY = UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6");

    private final StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());
    private final ClientResources resources = new ClientResources(resolver);

    @Test
    void cidrResourcesBecomeRoutesBesideTheFourReservedRanges() {
        resources.add(cidr("172.172.0.0/16"));
        resources.add(cidr("fd12::/64"));

        Routes routes = resources.routes();

        assertThat(routes.ipv4()).extracting(IpNetwork::toString).containsExactly("100.96.0.0/11", "100.100.111.0/24", "172.172.0.0/16");
        assertThat(routes.ipv6()).extracting(IpNetwork::toString)
                .containsExactly("fd00:2021:1111:8000::/107", "fd00:2021:1111:8000:100:100:111:0/120", "fd12::/64");
    }

    @Test
    void anAddedResourceIsListedWithUnknownStatus() {
        resources.add(cidr("172.172.0.0/16"));

        assertThat(resources.pollResourcesChanged()).isTrue();
        assertThat(resources.views()).extracting(ResourceView::status).containsExactly(ResourceStatus.UNKNOWN);
        assertThat(resources.pollResourcesChanged()).isFalse();
    }

    @Test
    void aNewAddressReplacesTheOldRoute() {
        ClientResource.Cidr first = cidr("172.172.0.0/16");
        resources.add(first);

        resources.add(new ClientResource.Cidr(first.id(), net("10.0.0.0/8"), "moved", null, List.of(HQ), List.of()));

        assertThat(resources.routes().ipv4()).extracting(IpNetwork::toString).contains("10.0.0.0/8").doesNotContain("172.172.0.0/16");
    }

    @Test
    void aCidrResourceWithTheIdOfADnsResourceReplacesIt() {
        UUID id = UUID.randomUUID();
        resources.add(new ClientResource.Dns(id, "*.mycorp.com", "dns", null, List.of(HQ), List.of()));

        resources.add(new ClientResource.Cidr(id, net("10.0.0.0/8"), "cidr", null, List.of(HQ), List.of()));

        assertThat(resolver.matchResource("wiki.mycorp.com")).isNull();
        assertThat(resources.resourceFor(ip("10.1.2.3"))).isEqualTo(id);
    }

    @Test
    void setResourcesReplacesTheWholeSet() {
        ClientResource.Cidr kept = cidr("10.0.0.0/8");
        resources.add(cidr("172.172.0.0/16"));
        resources.add(kept);

        resources.setResources(List.of(kept, cidr("192.168.0.0/24"), new ClientResource.Unknown("printer")));

        assertThat(resources.routes().ipv4()).extracting(IpNetwork::toString)
                .containsExactly("10.0.0.0/8", "100.96.0.0/11", "100.100.111.0/24", "192.168.0.0/24");
        assertThat(resources.views()).hasSize(2);
    }

    @Test
    void theInternetResourceAddsDefaultRoutesUntilDisabled() {
        ClientResource.Internet internet = new ClientResource.Internet(UUID.randomUUID(), "Internet Resource", List.of(EXIT), true);
        resources.add(internet);

        assertThat(resources.routes().ipv4()).extracting(IpNetwork::toString).contains("0.0.0.0/0");
        assertThat(resources.resourceFor(ip("8.8.8.8"))).isEqualTo(internet.id());

        resources.setDisabled(Set.of(internet.id()));

        assertThat(resources.routes().ipv6()).extracting(IpNetwork::toString).doesNotContain("::/0");
        assertThat(resources.resourceFor(ip("8.8.8.8"))).isNull();

        resources.setDisabled(Set.of());
        assertThat(resources.resourceFor(ip("8.8.8.8"))).isEqualTo(internet.id());
    }

    @Test
    void aPacketToAProxyIpBelongsToItsDnsResourceBeforeAnyCidrOrTheInternet() throws Exception {
        ClientResource.Dns dns = new ClientResource.Dns(UUID.randomUUID(), "*.mycorp.com", "dns", null, List.of(HQ), List.of());
        resources.add(dns);
        resources.add(cidr("100.96.0.0/16"));
        InetAddress proxy = firstProxyIp("wiki.mycorp.com");

        assertThat(resources.resourceFor(proxy)).isEqualTo(dns.id());

        resources.setDisabled(Set.of(dns.id()));
        assertThat(resources.resourceFor(proxy)).isNull();
    }

    @Test
    void theLongestMatchingCidrWins() {
        ClientResource.Cidr wide = cidr("10.0.0.0/8");
        ClientResource.Cidr narrow = cidr("10.1.0.0/16");
        resources.add(wide);
        resources.add(narrow);

        assertThat(resources.resourceFor(ip("10.1.2.3"))).isEqualTo(narrow.id());
        assertThat(resources.resourceFor(ip("10.2.2.3"))).isEqualTo(wide.id());
        assertThat(resources.resourceFor(ip("11.0.0.1"))).isNull();
    }

    @Test
    void ofTwoResourcesOnOneNetworkTheConnectedOneKeepsIt() {
        ClientResource.Cidr first = new ClientResource.Cidr(UUID.fromString("00000000-0000-0000-0000-000000000001"), net("10.0.0.0/8"), "a", null, List.of(HQ), List.of());
        ClientResource.Cidr second = new ClientResource.Cidr(UUID.fromString("00000000-0000-0000-0000-000000000002"), net("10.0.0.0/8"), "b", null, List.of(HQ), List.of());
        resources.add(first);
        resources.add(second);
        assertThat(resources.resourceFor(ip("10.0.0.1"))).isEqualTo(second.id());

        resources.remove(second.id());
        resources.mapToGateway(first.id(), GATEWAY, HQ.id(), List.of(first.address()));
        resources.add(second);

        assertThat(resources.resourceFor(ip("10.0.0.1"))).isEqualTo(first.id());
    }

    @Test
    void aConnectedGatewayPutsEveryResourceOfItsSiteOnlineAndADisconnectMakesThemUnknown() {
        ClientResource.Cidr a = cidr("10.0.0.0/8");
        ClientResource.Cidr b = cidr("172.16.0.0/12");
        resources.add(a);
        resources.add(b);
        resources.mapToGateway(a.id(), GATEWAY, HQ.id(), List.of(a.address()));

        resources.onGatewayConnected(GATEWAY);
        assertThat(resources.views()).extracting(ResourceView::status).containsOnly(ResourceStatus.ONLINE);

        resources.onGatewayDisconnected(GATEWAY);
        assertThat(resources.views()).extracting(ResourceView::status).containsOnly(ResourceStatus.UNKNOWN);
        assertThat(resources.gatewayOf(a.id())).isNull();
    }

    @Test
    void offlineForOneResourceLeavesAResourceInTwoSitesUnknown() {
        ClientResource.Cidr hqOnly = cidr("10.0.0.0/8");
        ClientResource.Cidr twoSites = new ClientResource.Cidr(UUID.randomUUID(), net("172.16.0.0/12"), "two", null, List.of(HQ, EXIT), List.of());
        resources.add(hqOnly);
        resources.add(twoSites);

        resources.setResourceOffline(hqOnly.id());

        assertThat(resources.views()).extracting(view -> view.status()).containsExactlyInAnyOrder(ResourceStatus.OFFLINE, ResourceStatus.UNKNOWN);
    }

    @Test
    void aResourceReportedOfflineWhileMappedNoLongerLetsItsGatewaySendFromItsNetwork() {
        ClientResource.Cidr a = cidr("10.0.0.0/8");
        resources.add(a);
        resources.mapToGateway(a.id(), GATEWAY, HQ.id(), List.of(a.address()));

        resources.setResourceOffline(a.id());

        assertThat(resources.gatewayOf(a.id())).isNull();
        assertThat(resources.isGatewayPeer(GATEWAY)).isFalse();
        assertThat(resources.sourceAllowed(GATEWAY, ip("10.9.9.9"))).isFalse();
    }

    @Test
    void packetsFromAGatewayMustComeFromAnAddressItServes() {
        ClientResource.Cidr a = cidr("10.0.0.0/8");
        resources.add(a);
        resources.mapToGateway(a.id(), GATEWAY, HQ.id(), List.of(a.address()));

        assertThat(resources.sourceAllowed(GATEWAY, ip("10.9.9.9"))).isTrue();
        assertThat(resources.sourceAllowed(GATEWAY, ip("11.0.0.1"))).isFalse();
        assertThat(resources.sourceAllowed(UUID.randomUUID(), ip("10.9.9.9"))).isFalse();

        resources.remove(a.id());
        assertThat(resources.isGatewayPeer(GATEWAY)).isFalse();
    }

    @Test
    void onlyTheGatewayOfACidrResourceMaySendFromItEvenIfAnotherServesTheInternet() {
        ClientResource.Cidr lan = cidr("10.0.0.0/24");
        ClientResource.Internet internet = new ClientResource.Internet(UUID.randomUUID(), "Internet", List.of(EXIT), false);
        UUID exitGateway = UUID.randomUUID();
        resources.add(lan);
        resources.add(internet);
        resources.mapToGateway(lan.id(), GATEWAY, HQ.id(), List.of(lan.address()));
        resources.mapToGateway(internet.id(), exitGateway, EXIT.id(), List.of(net("0.0.0.0/0"), net("::/0")));

        assertThat(resources.sourceAllowed(GATEWAY, ip("10.0.0.53"))).isTrue();
        assertThat(resources.sourceAllowed(exitGateway, ip("10.0.0.53"))).isFalse();
        assertThat(resources.sourceAllowed(exitGateway, ip("9.9.9.9"))).isTrue();
    }

    @Test
    void aResourceThePortalMovesToAnotherGatewayLeavesTheFirst() {
        ClientResource.Cidr a = cidr("10.0.0.0/8");
        resources.add(a);
        resources.mapToGateway(a.id(), GATEWAY, HQ.id(), List.of(a.address()));
        UUID other = UUID.randomUUID();

        resources.mapToGateway(a.id(), other, HQ.id(), List.of(a.address()));

        assertThat(resources.gatewayOf(a.id())).isEqualTo(other);
        assertThat(resources.isGatewayPeer(GATEWAY)).isFalse();
        assertThat(resources.sourceAllowed(GATEWAY, ip("10.9.9.9"))).isFalse();
        assertThat(resources.sourceAllowed(other, ip("10.9.9.9"))).isTrue();
    }

    @Test
    void aRefusedResourceIsUnmappedWhileItsGatewayKeepsServingTheOthers() {
        ClientResource.Cidr a = cidr("10.0.0.0/8");
        ClientResource.Cidr b = cidr("192.168.0.0/16");
        resources.add(a);
        resources.add(b);
        resources.mapToGateway(a.id(), GATEWAY, HQ.id(), List.of(a.address()));
        resources.mapToGateway(b.id(), GATEWAY, HQ.id(), List.of(b.address()));

        resources.unmap(a.id());

        assertThat(resources.gatewayOf(a.id())).isNull();
        assertThat(resources.isGatewayPeer(GATEWAY)).isTrue();
        assertThat(resources.sourceAllowed(GATEWAY, ip("10.9.9.9"))).isFalse();
        assertThat(resources.sourceAllowed(GATEWAY, ip("192.168.1.1"))).isTrue();
    }

    @Test
    void theInternetResourceIsListedFirstThenByName() {
        resources.add(new ClientResource.Cidr(UUID.randomUUID(), net("10.0.0.0/8"), "b", null, List.of(HQ), List.of()));
        resources.add(new ClientResource.Cidr(UUID.randomUUID(), net("11.0.0.0/8"), "a", null, List.of(HQ), List.of()));
        resources.add(new ClientResource.Internet(UUID.randomUUID(), "Internet Resource", List.of(EXIT), false));

        assertThat(resources.views()).extracting(view -> switch (view.resource()) {
            case ClientResource.Cidr cidr -> cidr.name();
            case ClientResource.Internet internet -> internet.name();
            default -> "?";
        }).containsExactly("Internet Resource", "a", "b");
    }

    private InetAddress firstProxyIp(String name) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
        Message response = ((Resolution.Answer) resolver.resolve(query, 0)).response();
        return ((ARecord) response.getSection(Section.ANSWER).getFirst()).getAddress();
    }

    private static ClientResource.Cidr cidr(String network) {
        return new ClientResource.Cidr(UUID.randomUUID(), net(network), network, null, List.of(HQ), List.of());
    }

    private static IpNetwork net(String text) {
        return IpNetwork.parse(text);
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }
}
