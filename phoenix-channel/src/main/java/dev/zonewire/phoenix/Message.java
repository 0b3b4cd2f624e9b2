package dev.zonewire.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One Phoenix channel message, the same for both serializers.
 *
 * <p>{@code ref} and {@code joinRef} are kept as the JSON values the peer sent, because a server
 * must echo them unchanged: Firezone's components send numbers, the JavaScript client sends
 * strings. {@code null} stands for an absent or JSON-null reference.
 */
public record Message(JsonNode joinRef, JsonNode ref, String topic, String event, JsonNode payload) {
    public static final String JOIN = "phx_join";
    public static final String LEAVE = "phx_leave";
    public static final String REPLY = "phx_reply";
    public static final String ERROR = "phx_error";
    public static final String CLOSE = "phx_close";
    public static final String HEARTBEAT = "heartbeat";
    public static final String HEARTBEAT_TOPIC = "phoenix";

    public Message {
        if (topic == null || event == null) {
            throw new IllegalArgumentException("a message needs a topic and an event");
        }
        joinRef = absentIfNull(joinRef);
        ref = absentIfNull(ref);
        payload = payload == null ? NullNode.getInstance() : payload;
    }

    /** A message without references: a server push or broadcast. */
    public static Message push(String topic, String event, JsonNode payload) {
        return new Message(null, null, topic, event, payload);
    }

    /** A {@code phx_reply} answering the message with {@code ref} (and {@code joinRef}). */
    public static Message reply(JsonNode joinRef, JsonNode ref, String topic, boolean ok, JsonNode response) {
        var payload = JsonNodeFactory.instance.objectNode();
        payload.put("status", ok ? "ok" : "error");
        payload.set("response", response == null ? JsonNodeFactory.instance.objectNode() : response);
        return new Message(joinRef, ref, topic, REPLY, payload);
    }

    /** Without the payload, which can carry secrets (stamp secrets, preshared keys). */
    @Override
    public String toString() {
        return "Message[topic=" + topic + ", event=" + event + ", ref=" + ref + ", joinRef=" + joinRef + "]";
    }

    public boolean isReply() {
        return REPLY.equals(event);
    }

    private static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
