package dev.zonewire.tunnel.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MessageStrictnessTest {
    private static final String PSK = "BzPiNE9qszKczZcZzGsyieLYeJ2EQfkfdibls/l3beM=";

    @Test
    void aMissingRequiredFieldIsNamedByItsPath() {
        ObjectNode payload = Frames.payload("gateway-authorize-flow").deepCopy();
        ((ObjectNode) payload.get("client")).remove("public_key");

        assertThat(GatewayMessages.decodeInbound("authorize_flow", payload))
                .isEqualTo(new Decoded.Malformed<>("authorize_flow", "missing required field 'client.public_key'"));
    }

    @Test
    void anAbsentExpiryIsMalformedWhileANullExpiryMeansNone() {
        ObjectNode payload = Frames.payload("gateway-authorize-flow").deepCopy();
        payload.remove("expires_at");

        var decoded = GatewayMessages.decodeInbound("authorize_flow", payload);

        assertThat(decoded).isInstanceOf(Decoded.Malformed.class);
        assertThat(((Decoded.Malformed<?>) decoded).reason()).contains("'expires_at'");
    }

    @Test
    void aNullRequiredFieldIsMalformed() {
        ObjectNode payload = Frames.payload("gateway-reject-access").deepCopy();
        payload.putNull("client_id");

        assertThat(GatewayMessages.decodeInbound("reject_access", payload))
                .isEqualTo(new Decoded.Malformed<>("reject_access", "required field 'client_id' is null"));
    }

    @Test
    void unknownFieldsAreIgnoredEverywhere() {
        ObjectNode payload = Frames.payload("gateway-authorize-flow").deepCopy();
        payload.put("brand_new_field", 1);
        ((ObjectNode) payload.get("client")).putObject("nested_new_field").put("x", "y");

        assertThat(GatewayMessages.decodeInbound("authorize_flow", payload)).isInstanceOf(Decoded.Message.class);
    }

    @Test
    void anUnknownEventIsReportedAsSuchNotAsMalformed() {
        assertThat(ClientMessages.decodeInbound("brand_new_event", "{}")).isEqualTo(new Decoded.UnknownEvent<>("brand_new_event"));
        assertThat(GatewayMessages.decodeInbound("brand_new_event", "{}")).isEqualTo(new Decoded.UnknownEvent<>("brand_new_event"));
    }

    @Test
    void anUnknownGatewayResourceTypeMakesTheMessageMalformed() {
        ObjectNode payload = Frames.payload("gateway-resource-updated").deepCopy();
        payload.put("type", "printer");

        assertThat(GatewayMessages.decodeInbound("resource_updated", payload))
                .isEqualTo(new Decoded.Malformed<>("resource_updated", "field 'type' has unknown value 'printer'"));
    }

    @Test
    void anUnknownDnsProtocolMakesTheMessageMalformed() {
        String payload = """
                {"interface":{"ipv4":"100.64.0.1","ipv6":"fd00:2021:1111::1","upstream_dns":[{"protocol":"dns_over_tls","address":"1.1.1.1:853"}]}}""";

        assertThat(ClientMessages.decodeInbound("config_changed", payload))
                .isEqualTo(new Decoded.Malformed<>("config_changed", "field 'interface.upstream_dns[0].protocol' has unknown value 'dns_over_tls'"));
    }

    @Test
    void aPresharedKeyOfTheWrongLengthIsRejectedWithoutShowingIt() {
        ObjectNode payload = Frames.payload("client-request-connection").deepCopy();
        payload.put("client_preshared_key", "c2VjcmV0LXRvby1zaG9ydA==");

        var decoded = (Decoded.Malformed<?>) ClientMessages.decodeOutbound("request_connection", payload);

        assertThat(decoded.reason()).isEqualTo("field 'client_preshared_key' must decode to 32 bytes, not 16");
        assertThat(decoded.reason()).doesNotContain("c2VjcmV0");
    }

    @Test
    void aPresharedKeyThatIsNotBase64IsRejectedWithoutShowingIt() {
        ObjectNode payload = Frames.payload("gateway-authorize-flow").deepCopy();
        ((ObjectNode) payload.get("client")).put("preshared_key", "not base64 at all but secret!");

        var decoded = (Decoded.Malformed<?>) GatewayMessages.decodeInbound("authorize_flow", payload);

        assertThat(decoded.reason()).contains("client.preshared_key").doesNotContain("secret!");
    }

    @Test
    void secretsDoNotAppearInTheTextOfADecodedMessage() {
        var flow = Frames.message(GatewayMessages.decodeInbound("authorize_flow", Frames.payload("gateway-authorize-flow")));

        assertThat(flow.toString()).doesNotContain(PSK).doesNotContain("j2fqufatn7xlrrvv6fsvea").doesNotContain("zfjrrjdkbci42t2axyd45a");
    }

    @Test
    void relayPasswordsDoNotAppearInTheTextOfADecodedMessage() {
        var init = Frames.message(ClientMessages.decodeInbound("init", Frames.payload("client-init")));

        assertThat(init.toString()).doesNotContain("ZWYiBeFHOJyYq0mcwAXjRpcuXIJJpzWlOXVdxwttrWg");
    }

    @Test
    void invalidJsonIsMalformedAndNamesOnlyTheLocation() {
        assertThat(ClientMessages.decodeInbound("init", "{\"interface\": secret-text"))
                .isEqualTo(new Decoded.Malformed<>("init", "payload is not valid JSON (line 1, column 21)"));
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThat(GatewayMessages.decodeOutbound("flow_authorized", "{\"ref\":\"a\",\"ref\":\"b\"}"))
                .isInstanceOf(Decoded.Malformed.class);
    }

    @Test
    void aHostnameWhereAnAddressBelongsIsRejectedWithoutALookup() {
        String payload = """
                {"interface":{"ipv4":"localhost","ipv6":"fd00:2021:1111::1"}}""";

        assertThat(ClientMessages.decodeInbound("config_changed", payload))
                .isEqualTo(new Decoded.Malformed<>("config_changed", "field 'interface.ipv4' is not an IPv4 address"));
    }

    @Test
    void aCidrAddressWithHostBitsSetIsMalformed() {
        ObjectNode payload = Frames.payload("gateway-resource-updated").deepCopy();
        payload.put("type", "cidr").put("address", "10.0.0.5/16");

        var decoded = (Decoded.Malformed<?>) GatewayMessages.decodeInbound("resource_updated", payload);

        assertThat(decoded.reason()).startsWith("field 'address' is not an IP network");
    }

    @Test
    void aPortOutsideTheSixteenBitRangeIsMalformed() {
        ObjectNode payload = Frames.payload("gateway-resource-updated").deepCopy();
        payload.putArray("filters").addObject().put("protocol", "udp").put("port_range_end", 70000);

        assertThat(GatewayMessages.decodeInbound("resource_updated", payload))
                .isEqualTo(new Decoded.Malformed<>("resource_updated", "field 'filters[0].port_range_end' must be between 0 and 65535"));
    }

    @Test
    void aLenientUuidFormIsNotAccepted() {
        assertThat(ClientMessages.decodeInbound("resource_deleted", "\"1-1-1-1-1\""))
                .isEqualTo(new Decoded.Malformed<>("resource_deleted", "field 'payload' is not a UUID"));
    }

    @Test
    void aPayloadOfTheWrongJsonTypeIsMalformed() {
        assertThat(ClientMessages.decodeInbound("init", "[1,2,3]"))
                .isEqualTo(new Decoded.Malformed<>("init", "the payload must be a JSON object"));
    }
}
