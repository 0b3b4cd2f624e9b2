package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.V1JsonSerializer;
import org.junit.jupiter.api.Test;

/** An owner that logs a config, an action, an event or a message never logs the secrets inside it. */
class SecretsStayOutOfToStringTest {
    private static final String STAMP_SECRET = "5f1a9e0c7b3d2a8e4f6c1b0d9e8a7c6b5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c";
    private static final String PRESHARED_KEY = "c2VjcmV0LXByZXNoYXJlZC1rZXktMzItYnl0ZXMhIQ==";
    private static final JsonNode JOIN_PAYLOAD = JsonNodeFactory.instance.objectNode().put("stamp_secret", STAMP_SECRET);
    private static final JsonNode PORTAL_PAYLOAD = JsonNodeFactory.instance.objectNode().put("preshared_key", PRESHARED_KEY);

    @Test
    void aRelaysConfigDoesNotShowItsStampSecret() {
        var config = ChannelConfig.defaults(UserAgent.relay("0.1.0"), JOIN_PAYLOAD, BackoffPolicy.relay());

        assertThat(config.toString()).doesNotContain(STAMP_SECRET).contains("relay/0.1.0");
    }

    @Test
    void aSendActionShowsNeitherTheJoinFrameNorItsStampSecret() {
        String joinFrame = V1JsonSerializer.INSTANCE.encode(new Message(null, LongNode.valueOf(0), "relay", Message.JOIN, JOIN_PAYLOAD));

        assertThat(new DriverAction.Send(1, joinFrame).toString()).doesNotContain(STAMP_SECRET);
    }

    @Test
    void eventsShowNoPortalPayload() {
        assertThat(new ChannelEvent.Received("gateway", "request_connection", PORTAL_PAYLOAD).toString())
                .doesNotContain(PRESHARED_KEY).contains("request_connection");
        assertThat(new ChannelEvent.ReplyOk(3, PORTAL_PAYLOAD).toString()).doesNotContain(PRESHARED_KEY);
        assertThat(new ChannelEvent.ReplyError(3, "offline", PORTAL_PAYLOAD).toString()).doesNotContain(PRESHARED_KEY);
        assertThat(new ChannelEvent.Joined("client", PORTAL_PAYLOAD).toString()).doesNotContain(PRESHARED_KEY);
    }

    @Test
    void aMessageShowsItsTopicAndEventButNotItsPayload() {
        var message = Message.push("gateway", "authorize_flow", PORTAL_PAYLOAD);

        assertThat(message.toString()).doesNotContain(PRESHARED_KEY).contains("gateway", "authorize_flow");
    }
}
