package dev.zonewire.tunnel.messages;

import static dev.zonewire.tunnel.messages.Frames.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClientMessageExamplesTest {

    @Test
    void initCarriesInterfaceResourcesAndRelays() {
        var init = (ClientInbound.Init) message(ClientMessages.decodeInbound("init", Frames.payload("client-init")));

        assertThat(init.iface().ipv4()).isEqualTo(IpLiterals.parse("100.72.112.111"));
        assertThat(init.iface().ipv6()).isEqualTo(IpLiterals.parse("fd00:2021:1111::13:efb9"));
        assertThat(init.iface().upstreamDns()).containsExactly(
                new DnsServer(new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53)),
                new DnsServer(new InetSocketAddress(IpLiterals.parse("2606:4700:4700::1111"), 53)));
        UUID hq = UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4");
        assertThat(init.resources()).containsExactly(
                new ClientResource.Cidr(UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6"), IpNetwork.parse("172.172.0.0/16"),
                        "Office LAN", null, List.of(new Site(hq, "HQ")), List.of()),
                new ClientResource.Dns(UUID.fromString("03000143-e25e-45c7-aafb-144990e57dcd"), "*.mycorp.com", "GitLab",
                        "gitlab for devs", List.of(new Site(hq, "HQ")), List.of(new Filter.Tcp(443, 443))),
                new ClientResource.Internet(UUID.fromString("1106047c-cd5d-4151-b679-96b93da7383b"), "Internet Resource",
                        List.of(new Site(UUID.fromString("eb94482a-94f4-47cb-8127-14fb3afa5516"), "Exit")), true),
                new ClientResource.Unknown("what_is_this"));
        assertThat(init.relays()).hasSize(2).allSatisfy(relay -> assertThat(relay).isInstanceOf(Relay.Turn.class));
        var first = (Relay.Turn) init.relays().getFirst();
        assertThat(first.password()).isEqualTo(Secret.of("ZWYiBeFHOJyYq0mcwAXjRpcuXIJJpzWlOXVdxwttrWg"));
        assertThat(first.expiresAt()).isEqualTo(1735689600L);
        assertThat(init.relays().getLast().address()).isEqualTo(new InetSocketAddress(IpLiterals.parse("2001:db8::65"), 3478));
    }

    @Test
    void initWithoutResourcesOrRelaysReadsThemAsEmpty() {
        var init = (ClientInbound.Init) message(ClientMessages.decodeInbound("init",
                "{\"interface\":{\"ipv4\":\"100.64.0.1\",\"ipv6\":\"fd00:2021:1111::1\",\"upstream_dns\":[]}}"));

        assertThat(init.resources()).isEmpty();
        assertThat(init.relays()).isEmpty();
    }

    @Test
    void resourceDeletedCarriesABareIdString() {
        var deleted = (ClientInbound.ResourceDeleted) message(ClientMessages.decodeInbound("resource_deleted", Frames.payload("client-resource-deleted")));

        assertThat(deleted.resourceId()).isEqualTo(UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6"));
    }

    @Test
    void flowCreatedHandsTheClientBothCredentialSetsAndThePresharedKey() {
        var created = (ClientInbound.FlowCreated) message(ClientMessages.decodeInbound("flow_created", Frames.payload("client-flow-created")));

        assertThat(created.siteId()).isEqualTo(UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"));
        assertThat(created.gatewayPublicKey().toBase64()).isEqualTo("dvy0IwyxAi+txSbAdT7WKgf7K4TekhKzrnYwt5WfbSM=");
        assertThat(created.presharedKey().exposeBase64()).isEqualTo("BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM=");
        assertThat(created.clientIceCredentials()).isEqualTo(new IceCredentials("zh7u", Secret.of("qjgfypikkdukntyerje7nk")));
        assertThat(created.gatewayIceCredentials()).isEqualTo(new IceCredentials("jtav", Secret.of("55msandulwetkxat6ntmga")));
    }

    @Test
    void flowCreationFailedNamesTheViolatedProperties() {
        var failed = (ClientInbound.FlowCreationFailed) message(ClientMessages.decodeInbound("flow_creation_failed",
                Frames.payload("client-flow-creation-failed")));

        assertThat(failed.reason()).isEqualTo("forbidden");
        assertThat(failed.violatedProperties()).containsExactly("remote_ip_location_region");
    }

    @Test
    void requestConnectionCarriesTheClientOfferAndAbsentDomain() {
        var request = (ClientOutbound.RequestConnection) message(ClientMessages.decodeOutbound("request_connection",
                Frames.payload("client-request-connection")));

        assertThat(request.clientPresharedKey().exposeBase64()).isEqualTo("sMeTuiJ3mezfpVdan948CmisIWbwBZ1z7jBNnbVtfVg=");
        assertThat(request.iceParameters().username()).isEqualTo("PvCP");
        assertThat(request.domain()).isNull();
    }

    @Test
    void reuseConnectionCarriesTheResolveRequestIpv4First() {
        var reuse = (ClientOutbound.ReuseConnection) message(ClientMessages.decodeOutbound("reuse_connection",
                Frames.payload("client-reuse-connection")));

        assertThat(reuse.payload().name()).isEqualTo("app.example.com");
        assertThat(reuse.payload().proxyIps()).hasSize(8);
        assertThat(reuse.payload().proxyIps().getFirst()).isEqualTo(IpLiterals.parse("100.96.0.1"));
        assertThat(reuse.payload().proxyIps().get(4)).isEqualTo(IpLiterals.parse("fd00:2021:1111:8000::"));
    }

    @Test
    void connectionDetailsReplyNamesGatewayAndSite() {
        ConnectionDetails details = message(ClientMessages.decodeConnectionDetails(Frames.response("client-reply-connection-details")));

        assertThat(details).isEqualTo(new ConnectionDetails(UUID.fromString("f16ecfa0-a94f-4bfd-a2ef-1cc1f2ef3da3"),
                UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6"), UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"),
                IpLiterals.parse("172.28.0.1")));
    }

    @Test
    void connectReplyCarriesTheGatewayAnswer() {
        Connect connect = message(ClientMessages.decodeConnect(Frames.response("client-reply-connect")));

        assertThat(connect.persistentKeepalive()).isEqualTo(25);
        assertThat(connect.gatewayPayload()).isEqualTo(new GatewayResponse.ConnectionAccepted(
                new IceCredentials("tGeq", Secret.of("pMAxxTgHHSdpqHRzHGNvuN"))));
    }

    @Test
    void connectReplyToleratesTheObsoleteDomainResponseBesideTheAnswer() {
        String reply = """
                {"resource_id":"ea6570d1-47c7-49d2-9dc3-efff1c0c9e0b","gateway_public_key":"dvy0IwyxAi+txSbAdT7WKgf7K4TekhKzrnYwt5WfbSM=",
                 "gateway_payload":{"ConnectionAccepted":{"domain_response":{"address":["2607:f8b0:4008:804::200e","142.250.64.206"],"domain":"google.com"},
                 "ice_parameters":{"username":"tGeqOjtGuPzPpuOx","password":"pMAxxTgHHSdpqHRzHGNvuNsZinLrMxwe"}}},"persistent_keepalive":25}""";

        assertThat(ClientMessages.decodeConnect(PortalJson.parse(reply))).isInstanceOf(Decoded.Message.class);
    }

    @Test
    void errorReplyCarriesTheReason() {
        ErrorReply reply = message(ClientMessages.decodeErrorReply(Frames.response("client-reply-offline")));

        assertThat(reply.reason()).isEqualTo("offline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-init", "client-config-changed", "client-resource-deleted", "client-relays-presence",
            "client-ice-candidates", "client-invalidate-ice-candidates", "client-flow-created", "client-flow-creation-failed",
            "client-disconnect"})
    void everyPortalToClientExampleSurvivesEncodingAndDecodingAgain(String frame) {
        ClientInbound decoded = message(ClientMessages.decodeInbound(Frames.event(frame), Frames.payload(frame)));

        PortalMessage encoded = ClientMessages.encode(decoded);

        assertThat(encoded.event()).isEqualTo(Frames.event(frame));
        assertThat(message(ClientMessages.decodeInbound(encoded.event(), encoded.payloadJson()))).isEqualTo(decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-prepare-connection", "client-request-connection", "client-reuse-connection",
            "client-broadcast-ice-candidates", "client-create-flow"})
    void everyClientToPortalExampleEncodesToTheSameJson(String frame) {
        ClientOutbound decoded = message(ClientMessages.decodeOutbound(Frames.event(frame), Frames.payload(frame)));

        PortalMessage encoded = ClientMessages.encode(decoded);

        assertThat(encoded.event()).isEqualTo(Frames.event(frame));
        assertThat(encoded.payload()).isEqualTo(Frames.payload(frame));
    }

    @Test
    void repliesEncodeToTheSameJson() {
        assertThat(ClientMessages.encode(message(ClientMessages.decodeConnectionDetails(Frames.response("client-reply-connection-details")))))
                .isEqualTo(Frames.response("client-reply-connection-details"));
        assertThat(ClientMessages.encode(message(ClientMessages.decodeConnect(Frames.response("client-reply-connect")))))
                .isEqualTo(Frames.response("client-reply-connect"));
        assertThat(ClientMessages.encode(message(ClientMessages.decodeErrorReply(Frames.response("client-reply-offline")))))
                .isEqualTo(Frames.response("client-reply-offline"));
    }
}
