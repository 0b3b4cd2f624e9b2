package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Joins, leaves, duplicate joins, crashes and server-side closes, as Phoenix's channel server handles them. */
class ChannelLifecycleTest {
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
    void aJoinToAnUnknownTopicIsAnsweredWithUnmatchedTopic() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"1\",\"1\",\"lobby\",\"phx_join\",{}]");

            assertThat(client.await("phx_reply")).isEqualTo("[\"1\",\"1\",\"lobby\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"unmatched topic\"}}]");
        }
    }

    @Test
    void aRefusedJoinIsAnsweredWithTheHandlersReason() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"1\",\"1\",\"room:x\",\"phx_join\",{\"deny\":true}]");

            assertThat(client.await("phx_reply")).contains("\"status\":\"error\"").contains("\"reason\":\"denied\"");
            client.send("[\"1\",\"2\",\"room:x\",\"ping\",{}]");
            assertThat(client.await("\"2\"")).contains("unmatched topic");
        }
    }

    @Test
    void aSecondJoinOfTheSameTopicClosesTheFirstChannel() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"1\",\"1\",\"room:x\",\"phx_join\",{}]");
            client.await("\"1\",\"1\"");
            client.send("[\"2\",\"2\",\"room:x\",\"phx_join\",{}]");

            assertThat(client.await("phx_close")).isEqualTo("[\"1\",\"1\",\"room:x\",\"phx_close\",{}]");
            assertThat(client.await("\"2\",\"2\"")).contains("\"status\":\"ok\"");
            assertThat(server.ended).containsExactly(new TestServer.Ended("room:x", Channel.Termination.REJOINED));
        }
    }

    @Test
    void aLeaveIsAnsweredAndEndsTheChannel() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"1\",\"1\",\"room:x\",\"phx_join\",{}]");
            client.await("\"1\",\"1\"");
            client.send("[\"1\",\"2\",\"room:x\",\"phx_leave\",{}]");

            assertThat(client.await("\"2\"")).isEqualTo("[\"1\",\"2\",\"room:x\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
            assertThat(server.ended).containsExactly(new TestServer.Ended("room:x", Channel.Termination.LEFT));
        }
    }

    @Test
    void aCrashingHandlerEndsOnlyItsChannelWithPhxError() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"1\",\"1\",\"room:x\",\"phx_join\",{}]");
            client.send("[\"5\",\"5\",\"room:y\",\"phx_join\",{}]");
            client.await("\"5\",\"5\"");
            client.send("[\"1\",\"2\",\"room:x\",\"crash\",{}]");

            assertThat(client.await("phx_error")).isEqualTo("[\"1\",\"1\",\"room:x\",\"phx_error\",{}]");
            client.send("[\"5\",\"6\",\"room:y\",\"ping\",{\"still\":\"alive\"}]");
            assertThat(client.await("alive")).contains("\"status\":\"ok\"");
            assertThat(server.ended).containsExactly(new TestServer.Ended("room:x", Channel.Termination.CRASHED));
        }
    }

    @Test
    void theServerCanCloseAChannelWhichSendsPhxClose() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:x\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            client.await("phx_reply");
            client.send("{\"topic\":\"room:x\",\"event\":\"close_me\",\"payload\":{},\"ref\":2}");

            assertThat(client.await("phx_close")).isEqualTo("{\"topic\":\"room:x\",\"event\":\"phx_close\",\"payload\":{},\"ref\":null}");
            assertThat(server.ended).containsExactly(new TestServer.Ended("room:x", Channel.Termination.CLOSED));
        }
    }

    @Test
    void aReplyMayComeLaterFromAnotherThread() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:x\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            client.send("{\"topic\":\"room:x\",\"event\":\"later\",\"payload\":{},\"ref\":2}");

            assertThat(client.await("late")).isEqualTo("{\"topic\":\"room:x\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":\"late\"},\"ref\":2}");
        }
    }

    @Test
    void closingTheSocketEndsEveryChannelOnIt() throws Exception {
        var client = server.connect(null);
        client.send("{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
        client.send("{\"topic\":\"room:b\",\"event\":\"phx_join\",\"payload\":{},\"ref\":2}");
        client.await("\"ref\":2");

        client.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.ended.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.ended).containsExactlyInAnyOrder(
                new TestServer.Ended("room:a", Channel.Termination.SOCKET_CLOSED),
                new TestServer.Ended("room:b", Channel.Termination.SOCKET_CLOSED));
        assertThat(server.server.broadcast("room:a", "x", null)).isZero();
        assertThat(server.server.openSockets()).isZero();
    }
}
