package dev.zonewire.tunnel.gateway;

import static dev.zonewire.tunnel.TestPackets.tcp;
import static dev.zonewire.tunnel.TestPackets.udp;
import static dev.zonewire.tunnel.gateway.ClientOnGatewayTest.ip;
import static dev.zonewire.tunnel.gateway.ClientOnGatewayTest.net;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.control.ControlCodec;
import dev.zonewire.tunnel.control.ControlEvent;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.tunnel.messages.ResolveRequest;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GatewayAccessTest {
    private static final UUID CLIENT = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    private static final String CLIENT_IPV4 = "100.93.74.51";
    private static final Inet4Address CLIENT_V4 = IpLiterals.parseIpv4(CLIENT_IPV4);
    private static final Inet6Address CLIENT_V6 = IpLiterals.parseIpv6("fd00:2021:1111::f:853b");
    private static final long SECOND = 1_000_000_000L;
    private static final Instant START = Instant.ofEpochSecond(1_729_800_000L);
    private static final List<InetAddress> PROXIES = List.of(ip("100.96.0.1"), ip("100.96.0.2"), ip("100.96.0.3"), ip("100.96.0.4"),
            ip("fd00:2021:1111:8000::"), ip("fd00:2021:1111:8000::1"), ip("fd00:2021:1111:8000::2"), ip("fd00:2021:1111:8000::3"));

    private final GatewayAccess access = new GatewayAccess(0);

    @Test
    void anAuthorizedFlowGrantsAccessAndAnswersWithTheSameRef() {
        GatewayOutbound.FlowAuthorized reply = access.authorizeFlow(authorizeFlow(cidr("172.20.0.0/16"), null), 0);

        assertThat(reply.ref()).isEqualTo("SFMyNTY.opaque");
        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 0)).isEqualTo(Verdict.FORWARD);
    }

    @Test
    void aClientNobodyAuthorizedGetsNothingThroughButIsToldSo() {
        Verdict verdict = access.outbound(UUID.randomUUID(), tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 0);

        assertThat(verdict).isEqualTo(Verdict.ANSWER_PROHIBITED);
        assertThat(access.dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);
    }

    @Test
    void oneClientsDeniedPacketsDoNotUseUpTheAnswersOfAnother() {
        UUID flooding = UUID.randomUUID();
        for (int i = 0; i < 100; i++) {
            access.outbound(flooding, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 0);
        }

        Verdict verdict = access.outbound(UUID.randomUUID(), tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 0);

        assertThat(verdict).isEqualTo(Verdict.ANSWER_PROHIBITED);
        assertThat(access.count(GatewayCounter.ICMP_ERRORS_SENT)).isEqualTo(11);
        assertThat(access.count(GatewayCounter.ICMP_ERRORS_SUPPRESSED)).isEqualTo(90);
    }

    @Test
    void accessEndsWithinASecondOfItsExpiry() {
        access.authorizeFlow(authorizeFlow(cidr("172.20.0.0/16"), START.getEpochSecond() + 5), 0);

        access.handleTimeout(5 * SECOND, START.plusSeconds(4));
        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 5 * SECOND)).isEqualTo(Verdict.FORWARD);
        access.handleTimeout(6 * SECOND, START.plusSeconds(5));

        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 6 * SECOND)).isNotEqualTo(Verdict.FORWARD);
        assertThat(access.clientCount()).isZero();
        assertThat(access.count(GatewayCounter.ACCESS_EXPIRED)).isEqualTo(1);
    }

    @Test
    void theExpiryCheckRunsOncePerSecond() {
        assertThat(access.pollTimeout()).isEqualTo(SECOND);
        access.handleTimeout(SECOND, START);

        assertThat(access.pollTimeout()).isEqualTo(2 * SECOND);
    }

    @Test
    void rejectingTheLastResourceRemovesTheClient() {
        GatewayResource.Cidr resource = cidr("172.20.0.0/16");
        access.authorizeFlow(authorizeFlow(resource, null), 0);

        access.rejectAccess(new GatewayInbound.RejectAccess(null, CLIENT, resource.id()));

        assertThat(access.client(CLIENT)).isNull();
        assertThat(access.inbound(tcp("172.20.0.9", 80, CLIENT_IPV4, 40000), 0)).isNull();
        assertThat(access.dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);
    }

    @Test
    void aLegacyAllowAccessWithANatHintResolvesTheNameThenTranslates() {
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), "*.httpbin", "httpbin", List.of(new Filter.Tcp(80, 80)));
        access.allowAccess(new GatewayInbound.AllowAccess("ref", CLIENT, null, dns, null,
                new ResolveRequest("download.httpbin", PROXIES), CLIENT_V4, CLIENT_V6), 0);

        GatewayAccess.Resolve resolve = access.pollResolve();
        access.handleResolved(resolve.id(), List.of(ip("198.51.100.7")), SECOND);

        assertThat(resolve.name()).isEqualTo("download.httpbin");
        IpPacket request = tcp(CLIENT_IPV4, 40000, "100.96.0.3", 80);
        assertThat(access.outbound(CLIENT, request, SECOND)).isEqualTo(Verdict.FORWARD);
        assertThat(request.destination()).isEqualTo(IpAddress.parse("198.51.100.7"));
        IpPacket reply = tcp("198.51.100.7", 80, CLIENT_IPV4, 40000);
        assertThat(access.inbound(reply, SECOND).id()).isEqualTo(CLIENT);
        assertThat(reply.source()).isEqualTo(IpAddress.parse("100.96.0.3"));
    }

    @Test
    void aResolutionThatTakesTooLongCountsAsAnEmptyAnswer() {
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), "*.httpbin", "httpbin", List.of());
        access.allowAccess(new GatewayInbound.AllowAccess("ref", CLIENT, null, dns, null,
                new ResolveRequest("download.httpbin", PROXIES), CLIENT_V4, CLIENT_V6), 0);
        GatewayAccess.Resolve resolve = access.pollResolve();

        access.handleTimeout(10 * SECOND, START);
        access.handleResolved(resolve.id(), List.of(ip("198.51.100.7")), 11 * SECOND);

        assertThat(access.count(GatewayCounter.RESOLUTION_TIMEOUTS)).isEqualTo(1);
        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "100.96.0.3", 80), 11 * SECOND)).isNotEqualTo(Verdict.FORWARD);
    }

    @Test
    void atMostAThousandResolutionsArePending() {
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), "**.corp", "corp", List.of());
        for (int i = 0; i <= GatewayAccess.MAX_PENDING_RESOLUTIONS; i++) {
            access.allowAccess(new GatewayInbound.AllowAccess("ref", CLIENT, null, dns, null,
                    new ResolveRequest("n" + i + ".corp", PROXIES), CLIENT_V4, CLIENT_V6), 0);
        }

        assertThat(access.pendingResolutions()).isEqualTo(GatewayAccess.MAX_PENDING_RESOLUTIONS);
        assertThat(access.count(GatewayCounter.RESOLUTIONS_DROPPED)).isEqualTo(1);
    }

    @Test
    void assignedIpsForAHeldResourceAreAnsweredActiveOnceTheNatIsUp() {
        GatewayResource.Dns dns = new GatewayResource.Dns(UUID.randomUUID(), "*.example.com", "web", List.of());
        access.authorizeFlow(authorizeFlow(dns, null), 0);

        access.handleControl(CLIENT, ControlCodec.encode(new ControlEvent.AssignedIps(dns.id(), "app.example.com", PROXIES)), 0);
        access.handleResolved(access.pollResolve().id(), List.of(ip("198.51.100.7")), 0);

        GatewayAccess.ControlReply reply = access.pollControlReply();
        assertThat(reply.clientId()).isEqualTo(CLIENT);
        assertThat(ControlCodec.decode(reply.payload()))
                .isEqualTo(new Decoded.Message<>(new ControlEvent.DomainStatus(dns.id(), "app.example.com", ControlEvent.NatStatus.ACTIVE)));
    }

    @Test
    void assignedIpsForAResourceTheClientDoesNotHoldAreAnsweredInactiveAtOnce() {
        access.authorizeFlow(authorizeFlow(cidr("172.20.0.0/16"), null), 0);
        UUID other = UUID.randomUUID();

        access.handleControl(CLIENT, ControlCodec.encode(new ControlEvent.AssignedIps(other, "app.example.com", PROXIES)), 0);

        assertThat(access.pollResolve()).isNull();
        assertThat(ControlCodec.decode(access.pollControlReply().payload()))
                .isEqualTo(new Decoded.Message<>(new ControlEvent.DomainStatus(other, "app.example.com", ControlEvent.NatStatus.INACTIVE)));
    }

    @Test
    void garbageOnTheControlProtocolIsCountedAndIgnored() {
        access.handleControl(CLIENT, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, '{'}, 0);
        access.handleControl(CLIENT, new byte[] {9, 0, 0, 0, 0, 0, 0, 0}, 0);
        access.handleControl(CLIENT, new byte[] {1}, 0);

        assertThat(access.count(GatewayCounter.CONTROL_MALFORMED)).isEqualTo(2);
        assertThat(access.count(GatewayCounter.CONTROL_UNKNOWN)).isEqualTo(1);
        assertThat(access.pollControlReply()).isNull();
    }

    @Test
    void deniedPacketsAreAnsweredProhibitedAtAMeasuredRate() {
        access.authorizeFlow(authorizeFlow(cidr("172.20.0.0/16", new Filter.Tcp(443, 443)), null), 0);

        long answered = 0;
        for (int i = 0; i < 100; i++) {
            Verdict verdict = access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 22), i * 10_000_000L);
            answered += verdict == Verdict.ANSWER_PROHIBITED ? 1 : 0;
        }

        assertThat(answered).isBetween(10L, 20L);
        assertThat(access.count(GatewayCounter.ICMP_ERRORS_SENT)).isEqualTo(answered);
        assertThat(access.dropped(DropReason.DESTINATION_NOT_ALLOWED)).isEqualTo(100);
    }

    @Test
    void spoofedSourcesAndIcmpErrorsAreNeverAnswered() {
        access.authorizeFlow(authorizeFlow(cidr("172.20.0.0/16", new Filter.Tcp(443, 443)), null), 0);

        Verdict spoofed = access.outbound(CLIENT, tcp("100.64.9.9", 40000, "172.20.0.9", 443), 0);
        IpPacket icmpError = TestPackets.portUnreachable(udp("172.20.0.9", 53, CLIENT_IPV4, 40000));
        Verdict icmpErrorVerdict = access.outbound(CLIENT, icmpError, 0);

        assertThat(spoofed).isEqualTo(Verdict.DROP);
        assertThat(access.dropped(DropReason.SOURCE_NOT_ALLOWED)).isEqualTo(1);
        assertThat(icmpErrorVerdict).isEqualTo(Verdict.DROP);
        assertThat(access.dropped(DropReason.DESTINATION_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void packetsFromTheResourceNetworkOnlyGoToPeerAddresses() {
        assertThat(access.inbound(udp("172.20.0.9", 53, "192.168.1.1", 40000), 0)).isNull();
        assertThat(access.inbound(udp("2001:db8::9", 53, "ff02::16", 40000), 0)).isNull();
        assertThat(access.dropped(DropReason.NOT_A_PEER_ADDRESS)).isEqualTo(2);
    }

    @Test
    void aResourceUpdateChangesTheFiltersOfEveryClientHoldingIt() {
        GatewayResource.Cidr resource = cidr("172.20.0.0/16", new Filter.Tcp(80, 80));
        access.authorizeFlow(authorizeFlow(resource, null), 0);

        access.resourceUpdated(new GatewayInbound.ResourceUpdated(new GatewayResource.Cidr(resource.id(), resource.address(), "x",
                List.of(new Filter.Tcp(22, 22)))));

        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 22), 0)).isEqualTo(Verdict.FORWARD);
        assertThat(access.outbound(CLIENT, tcp(CLIENT_IPV4, 40000, "172.20.0.9", 80), 0)).isNotEqualTo(Verdict.FORWARD);
    }

    private static GatewayInbound.AuthorizeFlow authorizeFlow(GatewayResource resource, Long expiresAt) {
        var client = new GatewayInbound.FlowClient(CLIENT, PublicKey.fromBase64("fiAjSBWDgQfD1CFJkTwOf4zg+1QhH0eTT+oLaVIMpH8="),
                Secret.fromBase64("BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM="), CLIENT_V4, CLIENT_V6);
        return new GatewayInbound.AuthorizeFlow("SFMyNTY.opaque", null, null, resource,
                new IceCredentials("ejqt", Secret.of("zfjrrjdkbci42t2axyd45a")), client,
                new IceCredentials("hgwh", Secret.of("j2fqufatn7xlrrvv6fsvea")), expiresAt);
    }

    private static GatewayResource.Cidr cidr(String network, Filter... filters) {
        return new GatewayResource.Cidr(UUID.randomUUID(), net(network), network, List.of(filters));
    }
}
