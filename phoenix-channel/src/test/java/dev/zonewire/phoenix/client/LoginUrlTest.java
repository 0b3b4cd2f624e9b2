package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.common.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spec 1.1: the socket URL of each component, its parameters in order, and the token kept out of sight. */
class LoginUrlTest {
    private static final Secret TOKEN = Secret.of(".SFMyNTY+token/with=chars");
    private static final String KEY = "S6REkbStSNMfn8hpLkVxibjR+zz3RO/Gq40TprHJE2U=";
    // SHA-256 of "4b3c0b0e-2f7a-4d59-9a8e-0c6f3f1f2a11" (computed with sha256sum).
    private static final String DEVICE_ID = "4b3c0b0e-2f7a-4d59-9a8e-0c6f3f1f2a11";

    @Test
    void aClientUrlCarriesItsParametersInTheSpecOrderFormEncoded() {
        var device = new LoginUrl.DeviceInfo(Optional.of("PF2ABCDE"), Optional.of("4C4C4544-0042"), Optional.empty(), Optional.empty());

        var url = LoginUrl.forClient(URI.create("wss://api.firezone.dev"), TOKEN, DEVICE_ID, "alice laptop", device, KEY);

        assertThat(url.expose().toString()).isEqualTo("wss://api.firezone.dev:443/client/websocket"
                + "?token=.SFMyNTY%2Btoken%2Fwith%3Dchars"
                + "&external_id=" + sha256(DEVICE_ID)
                + "&name=alice+laptop&device_serial=PF2ABCDE&device_uuid=4C4C4544-0042"
                + "&public_key=S6REkbStSNMfn8hpLkVxibjR%2Bzz3RO%2FGq40TprHJE2U%3D");
    }

    @Test
    void aGatewayUrlHasNoDeviceInformation() {
        var url = LoginUrl.forGateway(URI.create("https://x.example/api/"), TOKEN, DEVICE_ID, "gw-1", KEY);

        assertThat(url.redacted()).isEqualTo("wss://x.example:443/api/gateway/websocket?token=REDACTED&external_id="
                + sha256(DEVICE_ID) + "&name=gw-1&public_key=S6REkbStSNMfn8hpLkVxibjR%2Bzz3RO%2FGq40TprHJE2U%3D");
    }

    @Test
    void aRelayUrlMatchesTheSpecExample() throws Exception {
        var url = LoginUrl.forRelay(URI.create("wss://api.firezone.dev?ignored=1"), TOKEN, Optional.of("relay-eu-1"),
                Optional.of((Inet4Address) InetAddress.getByName("203.0.113.7")),
                Optional.of((Inet6Address) InetAddress.getByName("2001:db8::7")), 3478);

        assertThat(url.redacted()).isEqualTo(
                "wss://api.firezone.dev:443/relay/websocket?token=REDACTED&name=relay-eu-1&ipv4=203.0.113.7&ipv6=2001%3Adb8%3A%3A7&port=3478");
        assertThat(url.mode().topic()).isEqualTo("relay");
    }

    @Test
    void plainWebSocketUrlsDefaultToPortEightyNotTheReferencesQuirk() {
        var url = LoginUrl.forGateway(URI.create("ws://portal.internal"), TOKEN, DEVICE_ID, "gw", KEY);

        assertThat(url.port()).isEqualTo(80);
        assertThat(url.secure()).isFalse();
        assertThat(url.host()).isEqualTo("portal.internal");
    }

    @Test
    void anExplicitPortIsKept() {
        assertThat(LoginUrl.forGateway(URI.create("http://localhost:4000"), TOKEN, DEVICE_ID, "gw", KEY).port()).isEqualTo(4000);
    }

    @Test
    void theTokenNeverShowsInToStringOrRedacted() {
        var url = LoginUrl.forGateway(URI.create("wss://api.firezone.dev"), TOKEN, DEVICE_ID, "gw", KEY);

        assertThat(url.toString()).doesNotContain("SFMyNTY").contains("token=REDACTED");
        assertThat(url.redacted()).doesNotContain("SFMyNTY");
    }

    @Test
    void aNewPublicKeyReplacesTheLastParameterAndMakesADifferentUrl() {
        var url = LoginUrl.forGateway(URI.create("wss://api.firezone.dev"), TOKEN, DEVICE_ID, "gw", KEY);

        var changed = url.withPublicKey("AAAA");

        assertThat(changed.redacted()).endsWith("&name=gw&public_key=AAAA");
        assertThat(changed).isNotEqualTo(url);
        assertThat(url.withPublicKey(KEY)).isEqualTo(url);
    }

    @Test
    void otherSchemesAndMissingPartsAreRefused() {
        assertThatThrownBy(() -> LoginUrl.forGateway(URI.create("ftp://x"), TOKEN, DEVICE_ID, "gw", KEY))
                .hasMessageContaining("http, https, ws or wss");
        assertThatThrownBy(() -> LoginUrl.forGateway(URI.create("wss://x"), Secret.of(""), DEVICE_ID, "gw", KEY))
                .hasMessageContaining("token is empty");
        assertThatThrownBy(() -> LoginUrl.forRelay(URI.create("wss://x"), TOKEN, Optional.empty(), Optional.empty(), Optional.empty(), 3478))
                .hasMessageContaining("IPv4 or IPv6");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
