package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication happens at the HTTP upgrade: refusals are plain-text HTTP answers, never sockets. */
class UpgradeAuthenticationTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void anUpgradeWithoutTokenIsRefusedWith401MissingToken() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?name=x");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Missing token");
        assertThat(server.connects).isEmpty();
    }

    @Test
    void aTokenTheAuthenticatorRefusesGetsItsStatusAndBody() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?token=wrong");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.head()).containsIgnoringCase("content-type: text/plain");
        assertThat(response.body()).isEqualTo("Forbidden");
        assertThat(server.server.stats().refusedUpgrades()).isEqualTo(1);
    }

    @Test
    void anUnknownSerializerVersionIsRefusedWith400() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?token=t&vsn=9.0.0");

        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void theAuthenticatorSeesTheTokenAsASecretAndTheOtherParametersAndHeaders() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?token=t&name=gw-1&public_key=S6RE%2Bzz3&vsn=2.0.0",
                "User-Agent: Debian/13 connlib/1.4.2 (x86_64)", "x-geo-location-region: eu");

        assertThat(response.status()).isEqualTo(101);
        var connect = server.connects.getFirst();
        assertThat(connect.token().expose()).isEqualTo("t");
        assertThat(connect.token().toString()).isEqualTo("Secret[redacted]");
        assertThat(connect.params()).containsEntry("name", "gw-1").containsEntry("public_key", "S6RE+zz3").doesNotContainKey("token");
        assertThat(connect.userAgent()).isEqualTo("Debian/13 connlib/1.4.2 (x86_64)");
        assertThat(connect.headerValue("x-geo-location-region")).contains("eu");
    }

    @Test
    void aRefusalMayCarryRetryAfter() throws Exception {
        var endpoint = EndpointConfig.<String>builder("/relay",
                request -> new AuthResult.Refused<>(503, "Try later", Optional.of(Duration.ofSeconds(30)))).build();
        try (var busy = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(endpoint))) {
            var response = RawHttp.upgrade(busy.port(), "/relay/websocket?token=t");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.head()).containsIgnoringCase("retry-after: 30");
        }
    }

    @Test
    void anAuthenticatorThatThrowsGivesA500AndTheServerKeepsServing() throws Exception {
        var endpoint = EndpointConfig.<String>builder("/relay", request -> {
            throw new IllegalStateException("database down");
        }).build();
        try (var broken = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(endpoint))) {
            assertThat(RawHttp.upgrade(broken.port(), "/relay/websocket?token=t").status()).isEqualTo(500);
            assertThat(RawHttp.upgrade(broken.port(), "/relay/websocket?token=t").status()).isEqualTo(500);
        }
    }

    @Test
    void anUpgradeFromAForeignOriginIsRefusedWith403BeforeTheAuthenticatorRuns() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?token=t", "Origin: https://evil.example");

        assertThat(response.status()).isEqualTo(403);
        assertThat(server.connects).isEmpty();
    }

    @Test
    void anUpgradeWhoseOriginIsTheServersOwnHostIsAccepted() throws Exception {
        var response = RawHttp.upgrade(server.port(), "/socket/websocket?token=t", "Origin: http://127.0.0.1:" + server.port());

        assertThat(response.status()).isEqualTo(101);
    }

    @Test
    void theOriginCheckCanBeTurnedOffForBrowserClientsOnOtherOrigins() throws Exception {
        try (var open = new TestServer(builder -> builder.checkOrigin(false))) {
            var response = RawHttp.upgrade(open.port(), "/socket/websocket?token=t", "Origin: https://app.example");

            assertThat(response.status()).isEqualTo(101);
        }
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception {
        assertThat(RawHttp.upgrade(server.port(), "/nothing/websocket?token=t").status()).isEqualTo(404);
    }
}
