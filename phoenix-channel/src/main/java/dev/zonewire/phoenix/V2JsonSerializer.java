package dev.zonewire.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Phoenix's V2 JSON serializer: one array {@code [join_ref, ref, topic, event, payload]} per text
 * frame, the default of the official JavaScript client. Its binary frame form is not supported.
 */
public final class V2JsonSerializer implements Serializer {
    public static final V2JsonSerializer INSTANCE = new V2JsonSerializer();

    private V2JsonSerializer() {}

    @Override
    public String encode(Message message) {
        ArrayNode frame = Json.MAPPER.createArrayNode();
        frame.add(message.joinRef());
        frame.add(message.ref());
        frame.add(message.topic());
        frame.add(message.event());
        frame.add(message.payload());
        return Json.write(frame);
    }

    @Override
    public Decoded decode(String frame) {
        return switch (FrameParser.parse(frame)) {
            case FrameParser.Parsed(JsonNode root) when root.isArray() && root.size() == 5 -> fromArray(root);
            case FrameParser.Parsed(JsonNode root) -> new Decoded.Malformed("a V2 frame must be a JSON array of 5 elements");
            case FrameParser.Failed(String reason) -> new Decoded.Malformed(reason);
        };
    }

    @Override
    public String vsn() {
        return "2.0.0";
    }

    private static Decoded fromArray(JsonNode root) {
        JsonNode topic = root.get(2);
        JsonNode event = root.get(3);
        if (!topic.isTextual()) {
            return new Decoded.Malformed("non-string topic");
        }
        if (!event.isTextual()) {
            return new Decoded.Malformed("non-string event");
        }
        return new Decoded.Ok(new Message(root.get(0), root.get(1), topic.textValue(), event.textValue(), root.get(4)));
    }
}
