package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

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
}
