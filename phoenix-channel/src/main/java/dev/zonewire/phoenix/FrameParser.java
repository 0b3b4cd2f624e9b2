package dev.zonewire.phoenix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

/** Parses a frame's JSON for the serializers, turning every failure into a reason. */
final class FrameParser {
    sealed interface Result {}

    record Parsed(JsonNode root) implements Result {}

    record Failed(String reason) implements Result {}

    private FrameParser() {}

    static Result parse(String frame) {
        if (frame == null || frame.isBlank()) {
            return new Failed("empty frame");
        }
        try {
            JsonNode root = Json.parse(frame);
            if (root == null || root.isMissingNode()) {
                return new Failed("empty frame");
            }
            return new Parsed(root);
        } catch (StreamConstraintsException tooComplex) {
            return new Failed("JSON too deeply nested or too large");
        } catch (JsonProcessingException invalid) {
            // The parser's own message may quote the frame, which can hold secrets: name only the place.
            var location = invalid.getLocation();
            return new Failed(location == null
                    ? "invalid JSON"
                    : "invalid JSON at line " + location.getLineNr() + ", column " + location.getColumnNr());
        } catch (RuntimeException unexpected) {
            return new Failed("unparseable frame (" + unexpected.getClass().getSimpleName() + ")");
        }
    }
}
