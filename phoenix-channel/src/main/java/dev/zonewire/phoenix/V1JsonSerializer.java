package dev.zonewire.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Phoenix's V1 JSON serializer: one object {@code {"topic","event","payload","ref"}} per frame.
 * Firezone's components speak it. A {@code join_ref} field is read if present but never written,
 * as Phoenix's V1 serializer does.
 */
public final class V1JsonSerializer implements Serializer {
    public static final V1JsonSerializer INSTANCE = new V1JsonSerializer();

    private V1JsonSerializer() {}

    @Override
    public String encode(Message message) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("topic", message.topic());
        frame.put("event", message.event());
        frame.set("payload", message.payload());
        frame.set("ref", message.ref());
        return Json.write(frame);
    }

    @Override
    public Decoded decode(String frame) {
        return switch (FrameParser.parse(frame)) {
            case FrameParser.Parsed(JsonNode root) when root.isObject() -> fromObject(root);
            case FrameParser.Parsed(JsonNode root) -> new Decoded.Malformed("a V1 frame must be a JSON object, got " + root.getNodeType());
            case FrameParser.Failed(String reason) -> new Decoded.Malformed(reason);
        };
    }

    @Override
    public String vsn() {
        return "1.0.0";
    }

    private static Decoded fromObject(JsonNode root) {
        JsonNode topic = root.get("topic");
        JsonNode event = root.get("event");
        if (topic == null || !topic.isTextual()) {
            return new Decoded.Malformed("missing or non-string topic");
        }
        if (event == null || !event.isTextual()) {
            return new Decoded.Malformed("missing or non-string event");
        }
        return new Decoded.Ok(new Message(root.get("join_ref"), root.get("ref"), topic.textValue(), event.textValue(), root.get("payload")));
    }
}
