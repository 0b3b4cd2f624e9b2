package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random, valid portal messages of every kind, for the codec round-trip properties. */
final class MessageArbitraries {

    private MessageArbitraries() {}

    static Arbitrary<ClientInbound> clientInbound() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(iface(true), clientResource().list().ofMaxSize(4), relay().list().ofMaxSize(3)).as(ClientInbound.Init::new),
                iface(true).map(ClientInbound.ConfigChanged::new),
                clientResource().map(ClientInbound.ResourceCreatedOrUpdated::new),
                uuid().map(ClientInbound.ResourceDeleted::new),
                Combinators.combine(uuid().list().ofMaxSize(3), relay().list().ofMaxSize(3)).as(ClientInbound.RelaysPresence::new),
                Combinators.combine(uuid(), candidates()).as(ClientInbound.IceCandidates::new),
                Combinators.combine(uuid(), candidates()).as(ClientInbound.InvalidateIceCandidates::new),
                Combinators.combine(uuid(), uuid(), uuid(), publicKey(), key32(), ice(), ice()).as(ClientInbound.FlowCreated::new),
                Combinators.combine(uuid(), Arbitraries.of("not_found", "offline", "forbidden"), text().list().ofMaxSize(2))
                        .as(ClientInbound.FlowCreationFailed::new),
                text().map(ClientInbound.Disconnect::new)));
    }

    static Arbitrary<ClientOutbound> clientOutbound() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(uuid(), uuid().list().ofMaxSize(3)).as(ClientOutbound.PrepareConnection::new),
                Combinators.combine(uuid(), uuid(), key32(), ice(), resolveRequest().injectNull(0.5)).as(ClientOutbound.RequestConnection::new),
                Combinators.combine(uuid(), uuid(), resolveRequest().injectNull(0.5)).as(ClientOutbound.ReuseConnection::new),
                Combinators.combine(uuid().list().ofMaxSize(2), candidates()).as(ClientOutbound.BroadcastIceCandidates::new),
                Combinators.combine(uuid().list().ofMaxSize(2), candidates()).as(ClientOutbound.BroadcastInvalidatedIceCandidates::new),
                Combinators.combine(uuid(), uuid().list().ofMaxSize(3)).as(ClientOutbound.CreateFlow::new)));
    }

    static Arbitrary<GatewayInbound> gatewayInbound() {
        Arbitrary<Long> expiresAt = Arbitraries.longs().between(0, 4_102_444_800L).injectNull(0.3);
        Arbitrary<GatewayInbound.FlowClient> flowClient = Combinators.combine(uuid(), publicKey(), key32(), ipv4(), ipv6())
                .as(GatewayInbound.FlowClient::new);
        Arbitrary<GatewayInbound.LegacyPeer> peer = Combinators.combine(Arbitraries.integers().between(0, 65535).injectNull(0.3),
                publicKey(), key32(), ipv4(), ipv6()).as(GatewayInbound.LegacyPeer::new);
        Arbitrary<GatewayInbound.LegacyClient> legacyClient = Combinators.combine(uuid(), ice(), resolveRequest().injectNull(0.5), peer)
                .as(GatewayInbound.LegacyClient::new);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(iface(false), Arbitraries.of(true, false), Arbitraries.of(true, false), relay().list().ofMaxSize(3))
                        .as(GatewayInbound.Init::new),
                Combinators.combine(uuid().list().ofMaxSize(3), relay().list().ofMaxSize(3)).as(GatewayInbound.RelaysPresence::new),
                Combinators.combine(text(), uuid().injectNull(0.3), uuid().injectNull(0.3), gatewayResource(), ice(), flowClient, ice(), expiresAt)
                        .as(GatewayInbound.AuthorizeFlow::new),
                Combinators.combine(text(), uuid().injectNull(0.3), uuid().injectNull(0.3), gatewayResource(), legacyClient, expiresAt)
                        .as(GatewayInbound.RequestConnection::new),
                Combinators.combine(text(), uuid(), uuid().injectNull(0.3), gatewayResource(), expiresAt, resolveRequest().injectNull(0.5), ipv4(), ipv6())
                        .as(GatewayInbound.AllowAccess::new),
                Combinators.combine(uuid().injectNull(0.3), uuid(), uuid()).as(GatewayInbound.RejectAccess::new),
                gatewayResource().map(GatewayInbound.ResourceUpdated::new),
                Combinators.combine(uuid(), candidates()).as(GatewayInbound.IceCandidates::new),
                Combinators.combine(uuid(), candidates()).as(GatewayInbound.InvalidateIceCandidates::new),
                text().map(GatewayInbound.Disconnect::new)));
    }

    static Arbitrary<GatewayOutbound> gatewayOutbound() {
        return Arbitraries.oneOf(List.of(
                text().map(GatewayOutbound.FlowAuthorized::new),
                Combinators.combine(text(), gatewayResponse()).as(GatewayOutbound.ConnectionReady::new),
                Combinators.combine(uuid().list().ofMaxSize(2), candidates()).as(GatewayOutbound.BroadcastIceCandidates::new),
                Combinators.combine(uuid().list().ofMaxSize(2), candidates()).as(GatewayOutbound.BroadcastInvalidatedIceCandidates::new)));
    }

    static Arbitrary<ClientResource> clientResource() {
        Arbitrary<List<Site>> sites = Combinators.combine(uuid(), text()).as(Site::new).list().ofMaxSize(2);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(uuid(), text(), text(), text().injectNull(0.5), sites, filter().list().ofMaxSize(3)).as(ClientResource.Dns::new),
                Combinators.combine(uuid(), network(), text(), text().injectNull(0.5), sites, filter().list().ofMaxSize(3)).as(ClientResource.Cidr::new),
                Combinators.combine(uuid(), text(), sites, Arbitraries.of(true, false)).as(ClientResource.Internet::new),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).filter(t -> !List.of("dns", "cidr", "internet").contains(t))
                        .map(ClientResource.Unknown::new)));
    }

    static Arbitrary<GatewayResource> gatewayResource() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(uuid(), text(), text(), filter().list().ofMaxSize(3)).as(GatewayResource.Dns::new),
                Combinators.combine(uuid(), network(), text(), filter().list().ofMaxSize(3)).as(GatewayResource.Cidr::new),
                uuid().map(GatewayResource.Internet::new)));
    }

    static Arbitrary<Filter> filter() {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(port, port).as(Filter.Tcp::new),
                Combinators.combine(port, port).as(Filter.Udp::new),
                Arbitraries.just(new Filter.Icmp())));
    }

    static Arbitrary<Relay> relay() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(uuid(), socketAddress(), text(), text().map(Secret::of), Arbitraries.longs().between(0, 4_102_444_800L))
                        .as(Relay.Turn::new),
                Combinators.combine(uuid(), socketAddress()).as(Relay.Stun::new)));
    }

    static Arbitrary<Interface> iface(boolean withDns) {
        Arbitrary<List<DnsServer>> servers = withDns ? socketAddress().map(DnsServer::new).list().ofMaxSize(3) : Arbitraries.just(List.of());
        return Combinators.combine(ipv4(), ipv6(), servers).as(Interface::new);
    }

    static Arbitrary<ResolveRequest> resolveRequest() {
        return Combinators.combine(text(), ip().list().ofMaxSize(8)).as(ResolveRequest::new);
    }

    static Arbitrary<GatewayResponse> gatewayResponse() {
        return Arbitraries.oneOf(List.of(
                ice().map(GatewayResponse.ConnectionAccepted::new),
                Combinators.combine(text(), ip().list().ofMaxSize(3)).as(GatewayResponse.ResourceAccepted::new)));
    }

    static Arbitrary<IceCredentials> ice() {
        return Combinators.combine(text(), text().map(Secret::of)).as(IceCredentials::new);
    }

    static Arbitrary<Secret> key32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Secret::ofBytes);
    }

    static Arbitrary<PublicKey> publicKey() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(PublicKey::of);
    }

    static Arbitrary<UUID> uuid() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
    }

    /** Any Unicode text, including quotes, backslashes and control characters that JSON must escape. */
    static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(20);
    }

    static Arbitrary<List<String>> candidates() {
        return text().list().ofMaxSize(3);
    }

    static Arbitrary<Inet4Address> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4).map(bytes -> (Inet4Address) address(bytes));
    }

    static Arbitrary<Inet6Address> ipv6() {
        return Arbitraries.bytes().array(byte[].class).ofSize(16).map(bytes -> (Inet6Address) address(bytes));
    }

    static Arbitrary<InetAddress> ip() {
        return Arbitraries.oneOf(ipv4(), ipv6());
    }

    static Arbitrary<IpNetwork> network() {
        return ip().flatMap(address -> Arbitraries.integers().between(0, address instanceof Inet4Address ? 32 : 128)
                .map(prefix -> IpNetwork.containing(address, prefix)));
    }

    static Arbitrary<InetSocketAddress> socketAddress() {
        return Combinators.combine(ip(), Arbitraries.integers().between(0, 65535)).as(InetSocketAddress::new);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
