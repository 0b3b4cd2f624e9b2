package dev.zonewire.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.messages.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Counterexamples the simulation found, shrunk and kept: each replays the transitions that broke an
 * invariant (the failure report prints them as these calls).
 */
class SimulationRegressionTest {

    /**
     * TunnelSimulationProperties (fixed seed 20251124): a TCP query forwarded through the tunnel to the
     * portal's upstream was refused by the gateway's filters; the ICMP error reached the application as a
     * stray packet and the query waited 5 s for nothing. It now fails at once: SERVFAIL.
     */
    @Test
    void aTcpQueryTheGatewayFiltersOutIsAnsweredServfailAtOnce() {
        World world = new World(WorldSpec.simple(11));
        world.grant(world.resource("10.1.53.0/24"));
        world.changeFilters(world.resource("10.1.53.0/24"), List.of(new Filter.Udp(53, 53), new Filter.Tcp(80, 80)));

        world.queryDns("unknown.public.test", Type.A, DnsTransport.TCP);
        world.queryDns("unknown.public.test", Type.A, DnsTransport.UDP);

        world.check();
    }

    /**
     * A random world (seed -4035743123566192658): the gateway refused the DNS NAT of a name because the flow it
     * had granted expired; the client dropped the waiting packets and never asked for a new flow. It now asks
     * again and the packets wait for it.
     */
    @Test
    void aNameRefusedAfterItsFlowExpiredGetsANewFlow() {
        World world = new World(new WorldSpec(12, 1, 1, 1, null, null, 0, 1, false, false, 300));
        world.grant(world.resource("svc0.corp.test"));
        world.changeFilters(world.resource("svc0.corp.test"), List.of(new Filter.Udp(53, 53)));
        world.queryDns("svc0.corp.test", Type.AAAA, DnsTransport.UDP);
        world.sendToName(Probe.Protocol.TCP, "svc0.corp.test", Type.AAAA, 0, 443);
        assertThat(world.refused(world.lastProbe())).isTrue();

        world.idle();
        world.sendToName(Probe.Protocol.UDP, "svc0.corp.test", Type.AAAA, 1, 53);

        world.check();
        assertThat(world.replied(world.lastProbe())).isTrue();
    }

    /**
     * A random world: the portal's upstream DNS server sat behind the Internet resource only; the model
     * thought the query went through the host.
     */
    @Test
    void theInternetResourceCarriesQueriesToThePortalsUpstream() {
        World world = new World(WorldSpec.simple(13));
        world.grant(world.resource("internet"));

        world.queryDns("www.public.test", Type.A, DnsTransport.UDP);
        world.queryDns("www.public.test", Type.A, DnsTransport.TCP);
        world.send(Probe.Protocol.ICMP, IpAddress.parse("203.0.113.10"), 0);

        world.check();
    }
}
