package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a client sends, the server answers or drops it with a log line, and keeps serving. */
class HostileClientTest {
    private static final String HEARTBEAT = "{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"hb\"}";
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(builder -> builder.maxFrameBytes(4096).maxJoinsPerMinute(50).maxChannelsPerSocket(20));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void assertStillServed(RawClient client) throws InterruptedException {
        client.send(HEARTBEAT);
        assertThat(client.await("\"hb\"")).contains("\"status\":\"ok\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "nonsense", "[]", "[1,2,3,4,5]", "{\"topic\":5,\"event\":\"x\"}", "{\"event\":\"x\"}",
            "{\"topic\":\"a\",\"event\":\"b\"} {}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]"})
    void malformedFramesAreDroppedAndTheSocketStaysOpen(String frame) throws Exception {
        try (var client = server.connect(null)) {
            client.send(frame);

            assertStillServed(client);
            assertThat(server.server.stats().malformedFrames()).isEqualTo(1);
        }
    }

    static Stream<String> framesWithHugeOrUnprintableNames() {
        String longName = "room:" + "x".repeat(SocketConnection.MAX_NAME_CHARS);
        return Stream.of(
                "{\"topic\":\"" + longName + "\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}",
                "{\"topic\":\"room:a\\nFAKE LOG LINE\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}",
                "{\"topic\":\"room:a\",\"event\":\"" + "e".repeat(SocketConnection.MAX_NAME_CHARS + 1) + "\",\"payload\":{},\"ref\":1}",
                "{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"" + "r".repeat(SocketConnection.MAX_REF_CHARS + 1) + "\"}",
                "{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":{\"echo\":[1,2,3]}}",
                "{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1,\"join_ref\":\"" + "j".repeat(SocketConnection.MAX_REF_CHARS + 1) + "\"}");
    }

    @ParameterizedTest
    @MethodSource("framesWithHugeOrUnprintableNames")
    void namesAndRefsTheServerWouldEchoOrLogAreBoundedAndPrintable(String frame) throws Exception {
        try (var client = server.connect(null)) {
            client.send(frame);

            assertStillServed(client);
            assertThat(server.server.stats().malformedFrames()).isEqualTo(1);
            assertThat(client.received()).noneMatch(f -> f.contains("phx_reply") && !f.contains("\"hb\""));
        }
    }

    @Test
    void joinsToUnknownTopicsCountAgainstTheJoinRateLimit() throws Exception {
        try (var client = server.connect(null)) {
            for (int i = 0; i < 100; i++) {
                client.send("{\"topic\":\"nowhere:" + i + "\",\"event\":\"phx_join\",\"payload\":{},\"ref\":" + i + "}");
            }

            client.await("\"ref\":99");
            assertThat(client.received().stream().filter(f -> f.contains("too many joins")).count()).isEqualTo(50);
            assertThat(client.received().stream().filter(f -> f.contains("unmatched topic")).count()).isEqualTo(50);
        }
    }

    @Test
    void aPushToATopicNotJoinedIsAnsweredWithUnmatchedTopic() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:z\",\"event\":\"ping\",\"payload\":{},\"ref\":9}");

            assertThat(client.await("\"ref\":9")).contains("unmatched topic");
        }
    }

    @Test
    void unknownEventsOnAJoinedTopicGoToTheHandlerWhichRefusesThem() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:z\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            client.send("{\"topic\":\"room:z\",\"event\":\"what_is_this\",\"payload\":{},\"ref\":2}");

            assertThat(client.await("\"ref\":2")).contains("unknown event");
        }
    }

    @Test
    void repliesAndServerOnlyEventsFromAClientAreDropped() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:z\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":12345}");
            client.send("{\"topic\":\"room:z\",\"event\":\"phx_close\",\"payload\":{},\"ref\":null}");

            assertStillServed(client);
            assertThat(server.server.stats().droppedFrames()).isEqualTo(2);
        }
    }

    @Test
    void binaryFramesAreDropped() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.sendBinary(new byte[] {0, 1, 2, 3});

            client.send("[null,\"hb\",\"phoenix\",\"heartbeat\",{}]");
            assertThat(client.await("\"hb\"")).contains("ok");
            assertThat(server.server.stats().malformedFrames()).isEqualTo(1);
        }
    }

    @Test
    void anOversizedFrameClosesThatSocketWithMessageTooBigAndTheServerKeepsServingOthers() throws Exception {
        try (var bystander = server.connect(null); var offender = server.connect(null)) {
            offender.send("{\"topic\":\"room:z\",\"event\":\"ping\",\"payload\":\"" + "x".repeat(10_000) + "\",\"ref\":1}");

            assertThat(offender.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
            assertStillServed(bystander);
            try (var newcomer = server.connect(null)) {
                assertStillServed(newcomer);
            }
        }
    }

    @Test
    void byDefaultAFrameOfMoreThan64KiBClosesTheSocket() throws Exception {
        try (var defaults = new TestServer(); var client = defaults.connect(null)) {
            client.send("[" + "{},".repeat(25_000) + "{}]");

            assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
        }
    }

    @Test
    void aFloodOfJoinsIsCutOffAtTheRateLimitAndTheSocketSurvives() throws Exception {
        try (var client = server.connect(null)) {
            for (int i = 0; i < 500; i++) {
                client.send("{\"topic\":\"room:flood\",\"event\":\"phx_join\",\"payload\":{},\"ref\":" + i + "}");
            }

            client.await("\"ref\":499");
            assertStillServed(client);
            long refused = client.received().stream().filter(f -> f.contains("too many joins")).count();
            assertThat(refused).isEqualTo(450);
            assertThat(server.server.stats().refusedJoins()).isEqualTo(450);
        }
    }

    @Test
    void aSocketCannotJoinMoreTopicsThanItsLimit() throws Exception {
        try (var client = server.connect(null)) {
            for (int i = 0; i < 25; i++) {
                client.send("{\"topic\":\"room:" + i + "\",\"event\":\"phx_join\",\"payload\":{},\"ref\":" + i + "}");
            }

            client.await("\"ref\":24");
            assertThat(client.received().stream().filter(f -> f.contains("too many channels")).count()).isEqualTo(5);
            assertStillServed(client);
        }
    }
}
