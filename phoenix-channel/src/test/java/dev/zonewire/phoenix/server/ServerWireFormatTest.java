package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact frames the server writes with each serializer. */
class ServerWireFormatTest {
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
    void withoutVsnTheServerSpeaksV1ObjectsWithoutJoinRef() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"room:1\",\"event\":\"phx_join\",\"payload\":null,\"ref\":0}");
            client.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":1}");
            client.send("{\"topic\":\"room:1\",\"event\":\"push_me\",\"payload\":{\"a\":1},\"ref\":2}");

            assertThat(Json.parse(client.await("\"ref\":0"))).isEqualTo(Json.parse(
                    "{\"topic\":\"room:1\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{\"identity\":\"user-tester\"}},\"ref\":0}"));
            assertThat(Json.parse(client.await("\"ref\":1"))).isEqualTo(Json.parse(
                    "{\"topic\":\"phoenix\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":1}"));
            assertThat(Json.parse(client.await("pushed"))).isEqualTo(Json.parse(
                    "{\"topic\":\"room:1\",\"event\":\"pushed\",\"payload\":{\"a\":1},\"ref\":null}"));
            assertThat(client.received()).noneSatisfy(f -> assertThat(f).contains("join_ref"));
        }
    }

    @Test
    void withVsnTwoTheServerSpeaksV2ArraysCarryingTheJoinRef() throws Exception {
        try (var client = server.connect("2.0.0")) {
            client.send("[\"3\",\"3\",\"room:1\",\"phx_join\",{}]");
            client.send("[null,\"4\",\"phoenix\",\"heartbeat\",{}]");
            client.send("[\"3\",\"5\",\"room:1\",\"push_me\",{\"b\":2}]");
            client.await("pushed");
            server.server.broadcast("room:1", "news", Json.parse("{\"c\":3}"));

            assertThat(Json.parse(client.await("\"3\",\"3\""))).isEqualTo(Json.parse(
                    "[\"3\",\"3\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"identity\":\"user-tester\"}}]"));
            assertThat(Json.parse(client.await("\"4\""))).isEqualTo(Json.parse(
                    "[null,\"4\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]"));
            assertThat(Json.parse(client.await("pushed"))).isEqualTo(Json.parse("[\"3\",null,\"room:1\",\"pushed\",{\"b\":2}]"));
            assertThat(Json.parse(client.await("news"))).isEqualTo(Json.parse("[null,null,\"room:1\",\"news\",{\"c\":3}]"));
        }
    }

    @Test
    void numericAndStringRefsAreEchoedUnchanged() throws Exception {
        try (var client = server.connect(null)) {
            client.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"17\"}");
            client.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":18}");

            assertThat(client.await("\"17\"")).contains("\"ref\":\"17\"");
            assertThat(client.await("18")).contains("\"ref\":18");
        }
    }

    @Test
    void aBroadcastReachesEveryChannelOfTheTopicWhateverItsSerializer() throws Exception {
        try (var v1 = server.connect("1.0.0"); var v2 = server.connect("2.0.0"); var other = server.connect(null)) {
            v1.send("{\"topic\":\"room:b\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            v2.send("[\"1\",\"1\",\"room:b\",\"phx_join\",{}]");
            other.send("{\"topic\":\"room:c\",\"event\":\"phx_join\",\"payload\":{},\"ref\":1}");
            v1.await("phx_reply");
            v2.await("phx_reply");
            other.await("phx_reply");

            int reached = server.server.broadcast("room:b", "hello", Json.parse("{\"x\":1}"));

            assertThat(reached).isEqualTo(2);
            assertThat(v1.await("hello")).startsWith("{");
            assertThat(v2.await("hello")).startsWith("[");
            Thread.sleep(100);
            assertThat(other.received()).noneSatisfy(f -> assertThat(f).contains("hello"));
        }
    }
}
