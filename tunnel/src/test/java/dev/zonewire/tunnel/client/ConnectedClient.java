package dev.zonewire.tunnel.client;

import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A client with a CIDR resource ({@code 10.0.0.0/24}), a DNS resource ({@code *.corp.test}) and the Internet
 * resource, whose flows to {@link #GATEWAY} exist (the connection itself is never established: nothing
 * carries its datagrams), and whose upstream DNS server is {@link #UPSTREAM}.
 */
final class ConnectedClient {
    static final UUID GATEWAY = UUID.fromString("b3d34a15-55ab-40df-994b-a838e75d65d7");
    static final InetSocketAddress UPSTREAM = new InetSocketAddress(IpLiterals.parse("10.0.0.53"), 53);
    private static final Site SITE = new Site(UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"), "HQ");
    private static final ClientResource.Cidr LAN = new ClientResource.Cidr(UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6"),
            IpNetwork.parse("10.0.0.0/24"), "lan", null, List.of(SITE), List.of());
    private static final ClientResource.Dns WEB = new ClientResource.Dns(UUID.fromString("03000143-e25e-45c7-aafb-144990e57dcd"),
            "*.corp.test", "web", null, List.of(SITE), List.of());
    private static final ClientResource.Internet INTERNET = new ClientResource.Internet(UUID.fromString("1106047c-cd5d-4151-b679-96b93da7383b"),
            "Internet", List.of(SITE), true);

    private ConnectedClient() {}

    static ClientState create() {
        return create(new ProxyIpAllocator());
    }

    static ClientState create(ProxyIpAllocator proxyIps) {
        ClientState client = new ClientState(new SplittableRandom(7), Instant.parse("2025-06-01T12:00:00Z"), 0, Map.of(), proxyIps);
        Interface iface = new Interface(IpLiterals.parseIpv4("100.64.0.1"), IpLiterals.parseIpv6("fd00:2021:1111::1"),
                List.of(new DnsServer(UPSTREAM)));
        client.handlePortalMessage(new ClientInbound.Init(iface, List.of(LAN, WEB, INTERNET), List.of()), 0);
        for (UUID resource : List.of(LAN.id(), WEB.id(), INTERNET.id())) {
            client.handlePortalMessage(new ClientInbound.FlowCreated(resource, GATEWAY, SITE.id(),
                    PublicKey.fromBase64("dvy0IwyxAi+txSbAdT7WKgf7K4TekhKzrnYwt5WfbSM="), Secret.ofBytes(new byte[32]),
                    new IceCredentials("zh7u", Secret.of("qjgfypikkdukntyerje7nk")), new IceCredentials("jtav", Secret.of("55msandulwetkxat6ntmga"))), 0);
        }
        ClientStateFuzzTest.drain(client);
        return client;
    }
}
