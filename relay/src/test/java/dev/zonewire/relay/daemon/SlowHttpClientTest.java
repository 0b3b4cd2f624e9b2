package dev.zonewire.relay.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that never finishes its request must not keep the health check from answering others. */
class SlowHttpClientTest {
    private RelayDaemon relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void healthIsAnsweredWhileAnotherConnectionSendsHalfARequest() throws Exception {
        relay = RelayDaemon.start(RelayDaemonTest.loopbackConfig());
        try (Socket slow = new Socket(relay.httpAddress().getAddress(), relay.httpAddress().getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: relay\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + relay.httpAddress().getPort() + "/healthz"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
