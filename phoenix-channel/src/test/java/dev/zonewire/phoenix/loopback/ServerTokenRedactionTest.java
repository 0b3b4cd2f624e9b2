package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.server.AuthResult;
import dev.zonewire.phoenix.server.ChannelServer;
import dev.zonewire.phoenix.server.EndpointConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's logs, ours and Jetty's at the deployed levels, never show a client's token, even a mangled one. */
class ServerTokenRedactionTest {
    private static final String TOKEN = "SFMyNTY.server-side-secret-token-4411";

    @Test
    void refusedAcceptedAndMalformedUpgradesNeverLogTheToken() throws Exception {
        var endpoint = EndpointConfig.<String>builder("/relay", request -> request.token().expose().equals("good")
                ? AuthResult.accept("relay") : AuthResult.refuse(401, "Invalid token")).build();
        try (var logs = new LogCapture();
             var server = ChannelServer.start(new InetSocketAddress("127.0.0.1", 0), List.of(endpoint))) {
            List<String> statuses = List.of(
                    upgrade(server.port(), "/relay/websocket?token=" + TOKEN),
                    upgrade(server.port(), "/relay/websocket?token=" + TOKEN + "%zz&vsn=%"),
                    upgrade(server.port(), "/relay/websocket?token=" + TOKEN + "&vsn=7.0.0"),
                    upgrade(server.port(), "/nowhere/websocket?token=" + TOKEN),
                    upgrade(server.port(), "/relay/websocket?token=" + TOKEN + "\u0001"));

            assertThat(statuses).allSatisfy(status -> assertThat(status).matches("HTTP/1.1 4\\d\\d.*"));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(TOKEN));
        }
    }

    private static String upgrade(int port, String pathAndQuery) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            var line = new StringBuilder();
            for (int b; (b = socket.getInputStream().read()) >= 0 && b != '\r'; ) {
                line.append((char) b);
            }
            return line.toString();
        }
    }
}
