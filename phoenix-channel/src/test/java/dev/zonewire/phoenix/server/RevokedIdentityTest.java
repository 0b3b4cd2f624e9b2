package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A socket is authenticated once, at its upgrade; when its token is deleted the portal closes every
 * socket of that identity, so none can stay open and join topics again.
 */
class RevokedIdentityTest {

    @Test
    void disconnectingAnIdentityClosesItsSocketsAndEndsTheirChannelsButNoOthers() throws Exception {
        try (var server = new TestServer();
             var revoked = RawClient.connect(server.port(), "/socket/websocket?token=t&name=revoked");
             var other = RawClient.connect(server.port(), "/socket/websocket?token=t&name=other")) {
            revoked.send("{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            revoked.await("phx_reply");
            other.send("{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            other.await("phx_reply");

            int closed = server.server.disconnect(identity -> identity.equals("user-revoked"));

            assertThat(closed).isEqualTo(1);
            assertThat(revoked.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
            assertThat(server.ended).containsExactly(new TestServer.Ended("room:a", Channel.Termination.SOCKET_CLOSED));
            assertThat(server.server.broadcast("room:a", "still_here", null)).isEqualTo(1);
            other.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"hb\"}");
            assertThat(other.await("\"hb\"")).contains("ok");
        }
    }

    @Test
    void aDisconnectedClientThatIgnoresTheCloseAndKeepsSendingIsCutOff() throws Exception {
        try (var server = new TestServer(); var stubborn = new Socket()) {
            stubborn.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            SlowConsumerTest.upgrade(stubborn, server.port());
            SlowConsumerTest.sendMaskedText(stubborn.getOutputStream(), "{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            awaitOneSocketJoined(server);

            server.server.disconnect(identity -> true);
            var reader = Thread.ofVirtual().start(() -> drain(stubborn));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (reader.isAlive() && System.nanoTime() < deadline) {
                SlowConsumerTest.sendMaskedText(stubborn.getOutputStream(), "{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":2}");
                Thread.sleep(50);
            }

            assertThat(reader.isAlive()).as("the server still holds the socket open").isFalse();
        } catch (java.io.IOException reset) {
            // the server aborted the connection while we were writing: cut off, as expected
        }
    }

    private static void awaitOneSocketJoined(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.joined.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.joined).hasSize(1);
    }

    /** Reads until the server closes the TCP connection. */
    private static void drain(Socket socket) {
        try {
            while (socket.getInputStream().read() >= 0) {
                // the close frame, then the end of the stream
            }
        } catch (java.io.IOException closed) {
            // reset by the server: closed too
        }
    }
}
