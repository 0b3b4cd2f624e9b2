package dev.zonewire.tunnel.messages;

import static dev.zonewire.tunnel.messages.Frames.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayMessageExamplesTest {

    @Test
    void authorizeFlowHandsTheGatewayThePortalsPresharedKeyAndBothCredentialSets() {
        var flow = (GatewayInbound.AuthorizeFlow) message(GatewayMessages.decodeInbound("authorize_flow", Frames.payload("gateway-authorize-flow")));

        assertThat(flow.ref()).startsWith("SFMyNTY.");
        assertThat(flow.flowId()).isEqualTo(UUID.fromString("eeb66205-5f53-4f64-acbc-deed47293f04"));
        assertThat(flow.actorId()).isEqualTo(UUID.fromString("24eb631e-c529-4182-a746-d99ee66f7426"));
        assertThat(flow.resource()).isEqualTo(new GatewayResource.Cidr(UUID.fromString("c7793628-8579-465b-83e3-1a5d4af4db3b"),
                IpNetwork.parse("172.20.0.0/16"), "MyCorp Network", List.of()));
        assertThat(flow.client().publicKey().toBase64()).isEqualTo("fiAjSBWDgQfD1CFJkTwOf4zg+1QhH0eTT+oLaVIMpH8=");
        assertThat(flow.client().presharedKey().exposeBase64()).isEqualTo("BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM=");
        assertThat(flow.client().ipv4()).isEqualTo(IpLiterals.parse("100.93.74.51"));
        assertThat(flow.client().ipv6()).isEqualTo(IpLiterals.parse("fd00:2021:1111::f:853b"));
        assertThat(flow.clientIceCredentials()).isEqualTo(new IceCredentials("hgwh", Secret.of("j2fqufatn7xlrrvv6fsvea")));
        assertThat(flow.gatewayIceCredentials()).isEqualTo(new IceCredentials("ejqt", Secret.of("zfjrrjdkbci42t2axyd45a")));
        assertThat(flow.expiresAt()).isEqualTo(1729813989L);
    }

    @Test
    void legacyRequestConnectionCarriesTheDnsResourceFiltersAndTheNatHint() {
        var request = (GatewayInbound.RequestConnection) message(GatewayMessages.decodeInbound("request_connection",
                Frames.payload("gateway-request-connection")));

        assertThat(request.resource()).isEqualTo(new GatewayResource.Dns(UUID.fromString("619fbe83-bc95-4635-9a08-68da9a944c88"),
                "?.httpbin", "?.httpbin",
                List.of(new Filter.Tcp(80, 80), new Filter.Tcp(433, 433), new Filter.Udp(53, 53), new Filter.Icmp())));
        assertThat(request.client().domain().name()).isEqualTo("download.httpbin");
        assertThat(request.client().domain().proxyIps()).hasSize(8);
        assertThat(request.client().peer().persistentKeepalive()).isEqualTo(25);
        assertThat(request.client().peer().presharedKey().exposeBase64()).isEqualTo("BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM=");
        assertThat(request.expiresAt()).isEqualTo(1718663242L);
    }

    @Test
    void legacyRequestConnectionForACidrResourceHasNoDomain() {
        var request = (GatewayInbound.RequestConnection) message(GatewayMessages.decodeInbound("request_connection",
                Frames.payload("gateway-request-connection-cidr")));

        assertThat(request.client().domain()).isNull();
        assertThat(request.resource().filters()).isEmpty();
    }

    @Test
    void allowAccessWithNullExpiryMeansNoExpiry() {
        var allow = (GatewayInbound.AllowAccess) message(GatewayMessages.decodeInbound("allow_access", Frames.payload("gateway-allow-access")));

        assertThat(allow.expiresAt()).isNull();
        assertThat(allow.resource().filters()).containsExactly(new Filter.Tcp(0, 65535));
        assertThat(allow.payload().proxyIps()).containsExactly(IpLiterals.parse("100.96.0.1"), IpLiterals.parse("fd00:2021:1111:8000::"));
    }

    @Test
    void initReadsTheMasqueradeFlagsAndDefaultsRelaysToEmpty() {
        var init = (GatewayInbound.Init) message(GatewayMessages.decodeInbound("init", Frames.payload("gateway-init")));

        assertThat(init.iface().upstreamDns()).isEmpty();
        assertThat(init.ipv4MasqueradeEnabled()).isTrue();
        assertThat(init.relays()).isEmpty();
    }

    @Test
    void resourceUpdatedFiltersWithoutPortsCoverEveryPort() {
        var updated = (GatewayInbound.ResourceUpdated) message(GatewayMessages.decodeInbound("resource_updated", Frames.payload("gateway-resource-updated")));

        assertThat(updated.resource().filters()).containsExactly(new Filter.Icmp(), new Filter.Tcp(0, 65535));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway-init", "gateway-authorize-flow", "gateway-request-connection", "gateway-request-connection-cidr",
            "gateway-allow-access", "gateway-reject-access", "gateway-resource-updated", "gateway-relays-presence",
            "gateway-invalidate-ice-candidates"})
    void everyPortalToGatewayExampleSurvivesEncodingAndDecodingAgain(String frame) {
        GatewayInbound decoded = message(GatewayMessages.decodeInbound(Frames.event(frame), Frames.payload(frame)));

        PortalMessage encoded = GatewayMessages.encode(decoded);

        assertThat(encoded.event()).isEqualTo(Frames.event(frame));
        assertThat(message(GatewayMessages.decodeInbound(encoded.event(), encoded.payloadJson()))).isEqualTo(decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway-flow-authorized", "gateway-connection-ready", "gateway-broadcast-ice-candidates"})
    void everyGatewayToPortalExampleEncodesToTheSameJson(String frame) {
        GatewayOutbound decoded = message(GatewayMessages.decodeOutbound(Frames.event(frame), Frames.payload(frame)));

        PortalMessage encoded = GatewayMessages.encode(decoded);

        assertThat(encoded.event()).isEqualTo(Frames.event(frame));
        assertThat(encoded.payload()).isEqualTo(Frames.payload(frame));
    }
}
