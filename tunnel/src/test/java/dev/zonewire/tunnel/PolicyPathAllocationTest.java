package dev.zonewire.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.client.ClientResources;
import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.dns.StubResolver;
import dev.zonewire.tunnel.gateway.GatewayAccess;
import dev.zonewire.tunnel.gateway.GatewayPackets;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-packet policy work allocates nothing: the client's resource and gateway lookups and source check,
 * the gateway's source check, filters and NAT rewrite both ways. (snownet's encryption is measured apart, in
 * the JMH benchmarks: the JDK's cipher allocates per packet.)
 */
class PolicyPathAllocationTest {
    private static final int PACKETS = 100_000;
    private static final UUID CLIENT = UUID.randomUUID();

    @Test
    void theClientsLookupsAllocateNothing() {
        ClientResources resources = new ClientResources(new StubResolver(new ProxyIpAllocator(), Map.of()));
        Site site = new Site(UUID.randomUUID(), "HQ");
        ClientResource.Cidr lan = new ClientResource.Cidr(UUID.randomUUID(), IpNetwork.parse("10.0.0.0/16"), "lan", null, List.of(site), List.of());
        resources.add(lan);
        UUID gateway = UUID.randomUUID();
        resources.mapToGateway(lan.id(), gateway, site.id(), List.of(lan.address()));
        IpPacket packet = TestPackets.tcp("100.64.0.1", 40000, "10.0.7.9", 443);
        IpPacket reply = TestPackets.tcp("10.0.7.9", 443, "100.64.0.1", 40000);

        long allocated = allocatedDuring(() -> {
            for (int i = 0; i < PACKETS; i++) {
                UUID resource = resources.resourceFor(packet.version(), Addresses.destinationHigh(packet), Addresses.destinationLow(packet));
                if (!resources.isGatewayPeer(resources.gatewayOf(resource))
                        || !resources.sourceAllowed(gateway, reply.version(), Addresses.sourceHigh(reply), Addresses.sourceLow(reply))) {
                    throw new AssertionError("the resource is connected");
                }
            }
        });

        assertThat(allocated).isLessThan(1024);
    }

    @Test
    void theGatewaysFilterAndNatAllocateNothingBothWays() {
        GatewayAccess access = new GatewayAccess(0);
        GatewayResource.Dns web = new GatewayResource.Dns(UUID.randomUUID(), "*.corp.test", "web", List.of(new Filter.Tcp(443, 443)));
        access.authorizeFlow(flow(web), 0);
        access.client(CLIENT).setupNat("a.corp.test", web.id(), List.of(IpLiterals.parse("198.51.100.7")),
                List.of(IpLiterals.parse("100.96.0.1"), IpLiterals.parse("fd00:2021:1111:8000::")), 0);
        GatewayPackets packets = new GatewayPackets(access);
        byte[] request = TestPackets.bytes(TestPackets.tcp("100.64.0.1", 40000, "100.96.0.1", 443));
        byte[] reply = TestPackets.bytes(TestPackets.tcp("198.51.100.7", 443, "100.64.0.1", 40000));
        ByteBuffer buffer = ByteBuffer.allocate(TestPackets.HEADROOM + 1400);
        ByteBuffer answers = ByteBuffer.allocate(1280);
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);

        long allocated = allocatedDuring(() -> {
            for (int i = 0; i < PACKETS; i++) {
                buffer.put(TestPackets.HEADROOM, request);
                packet.wrap(buffer, TestPackets.HEADROOM, request.length);
                if (packets.outbound(CLIENT, packet, i, answers, 0).outcome() != GatewayPackets.Outcome.FORWARD) {
                    throw new AssertionError("the flow is allowed");
                }
                buffer.put(TestPackets.HEADROOM, reply);
                packet.wrap(buffer, TestPackets.HEADROOM, reply.length);
                if (packets.inbound(packet, i) == null) {
                    throw new AssertionError("the reply belongs to the client");
                }
            }
        });

        assertThat(allocated).isLessThan(1024);
    }

    private static GatewayInbound.AuthorizeFlow flow(GatewayResource resource) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.of(new byte[32]), Secret.ofBytes(new byte[32]),
                IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"));
        IceCredentials ice = new IceCredentials("user", Secret.of("password"));
        return new GatewayInbound.AuthorizeFlow("ref", null, null, resource, ice, client, ice, null);
    }

    private static long allocatedDuring(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        work.run();
        long before = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
