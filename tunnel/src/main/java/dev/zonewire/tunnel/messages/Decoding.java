package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.function.Function;

/** Runs one decoder and turns its failure into {@link Decoded.Malformed}. */
final class Decoding {

    private Decoding() {}

    /** Parses the payload text, then hands the tree to {@code decoder}; invalid JSON is malformed. */
    static <T> Decoded<T> parseThen(String event, String payloadJson, Function<JsonNode, Decoded<T>> decoder) {
        try {
            return decoder.apply(PortalJson.parse(payloadJson));
        } catch (MalformedMessageException e) {
            return new Decoded.Malformed<>(event, e.getMessage());
        }
    }

    /** Runs {@code decoder} on the payload tree; a missing or wrong field is malformed. */
    static <T> Decoded<T> decode(String event, JsonNode payload, Function<JsonNode, T> decoder) {
        try {
            return new Decoded.Message<>(decoder.apply(payload == null ? NullNode.getInstance() : payload));
        } catch (MalformedMessageException | IllegalArgumentException e) {
            return new Decoded.Malformed<>(event, e.getMessage());
        }
    }
}
