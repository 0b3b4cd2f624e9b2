package dev.zonewire.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.dns.DnsTransport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The client and gateway states end to end on the simulated network, in scripted scenarios. */
class ClientGatewayScenariosTest {

    @Test
    void aPacketToACidrResourceWaitsForItsFlowAndGetsItsReply() {
        World world = new World(WorldSpec.simple(1));
        PortalResource cidr = first(world, PortalResource.Kind.CIDR, false);
        world.grant(cidr.id());

        world.send(Probe.Protocol.UDP, IpAddress.of(cidr.hosts().getFirst()), 53);
        world.check();

        assertThat(world.portal.flowsCreated).isEqualTo(1);
    }

    @Test
    void aDnsResourceIsReachedThroughItsProxyIps() {
        World world = new World(WorldSpec.simple(2));
        PortalResource dns = first(world, PortalResource.Kind.DNS, false);
        world.grant(dns.id());
        String name = dns.names().getFirst();

        world.queryDns(name, Type.A, DnsTransport.UDP);
        world.queryDns(name, Type.AAAA, DnsTransport.TCP);
        world.check();
        world.send(Probe.Protocol.ICMP, IpAddress.of(world.cachedProxies(name + "/A").getFirst()), 0);
        world.send(Probe.Protocol.TCP, IpAddress.of(world.cachedProxies(name + "/AAAA").get(2)), 443);
        world.check();
    }

    @Test
    void namesOutsideResourcesAreAnsweredFromTheUpstream() {
        World world = new World(WorldSpec.simple(3));

        world.queryDns("www.public.test", Type.A, DnsTransport.UDP);
        world.queryDns("v6.public.test", Type.AAAA, DnsTransport.TCP);
        world.queryDns("big.public.test", Type.A, DnsTransport.UDP);
        world.queryDns("unknown.public.test", Type.A, DnsTransport.TCP);
        world.check();
    }

    @Test
    void theInternetResourceCarriesEverythingElse() {
        World world = new World(WorldSpec.simple(4));
        PortalResource internet = first(world, PortalResource.Kind.INTERNET, false);
        world.grant(internet.id());

        world.send(Probe.Protocol.TCP, IpAddress.parse("203.0.113.10"), 443);
        world.send(Probe.Protocol.ICMP, IpAddress.parse("2001:db8:cafe::10"), 0);
        world.check();
    }

    @Test
    void aFlowThatExpiredIsRefusedOnceAndThenCreatedAgain() {
        World world = new World(WorldSpec.simple(5));
        PortalResource cidr = first(world, PortalResource.Kind.CIDR, false);
        world.grant(cidr.id());
        world.send(Probe.Protocol.UDP, IpAddress.of(cidr.hosts().getFirst()), 53);

        world.idle();
        world.send(Probe.Protocol.UDP, IpAddress.of(cidr.hosts().getFirst()), 53);
        world.send(Probe.Protocol.UDP, IpAddress.of(cidr.hosts().getLast()), 53);
        world.check();

        assertThat(world.portal.flowsCreated).isEqualTo(2);
    }

    @Test
    void afterANetworkChangeTheClientConnectsAgain() {
        World world = new World(WorldSpec.simple(6));
        PortalResource cidr = first(world, PortalResource.Kind.CIDR, false);
        world.grant(cidr.id());
        world.send(Probe.Protocol.TCP, IpAddress.of(cidr.hosts().getFirst()), 80);

        world.resetClient();
        world.send(Probe.Protocol.TCP, IpAddress.of(cidr.hosts().getFirst()), 80);
        world.check();
    }

    @Test
    void aRelayRestartIsSurvived() {
        World world = new World(new WorldSpec(7, 1, 1, 2, dev.zonewire.snownet.sim.Nat.Kind.SYMMETRIC,
                dev.zonewire.snownet.sim.Nat.Kind.SYMMETRIC, 1, 0, false, false, 300));
        PortalResource cidr = first(world, PortalResource.Kind.CIDR, false);
        world.grant(cidr.id());
        world.send(Probe.Protocol.ICMP, IpAddress.of(cidr.hosts().getFirst()), 0);

        world.restartRelay(0);
        world.restartRelay(1);
        world.send(Probe.Protocol.ICMP, IpAddress.of(cidr.hosts().getFirst()), 0);
        world.check();
    }

    @Test
    void queriesToAPortalUpstreamBehindAResourceGoThroughTheTunnel() {
        World world = new World(WorldSpec.simple(8));
        world.grant(world.portal.resources.values().stream().filter(r -> r.address().equals("10.1.53.0/24")).findFirst().orElseThrow().id());

        world.queryDns("www.public.test", Type.A, DnsTransport.UDP);
        world.queryDns("www.public.test", Type.A, DnsTransport.TCP);
        world.check();
    }

    private static PortalResource first(World world, PortalResource.Kind kind, boolean withFilters) {
        return world.portal.resources.values().stream().filter(resource -> resource.kind() == kind)
                .filter(resource -> !resource.address().equals("10.1.53.0/24"))
                .filter(resource -> withFilters || resource.filters().isEmpty()).findFirst()
                .orElseGet(() -> {
                    PortalResource any = world.portal.resources.values().stream().filter(resource -> resource.kind() == kind).findFirst().orElseThrow();
                    world.changeFilters(any.id(), List.of());
                    return world.portal.resources.get(any.id());
                });
    }
}
