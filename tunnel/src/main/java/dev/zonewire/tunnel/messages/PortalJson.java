package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one Jackson configuration for portal payloads. Only the tree model is used (no reflective data
 * binding): every message is read field by field, so a required field that is missing is named in the
 * error, unknown fields are ignored, and no value reaches an exception message.
 */
public final class PortalJson {
    /** Larger than any real init (thousands of resources) and small enough that a hostile frame cannot exhaust memory. */
    public static final int MAX_PAYLOAD_CHARS = 16 * 1024 * 1024;
    private static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(MAX_PAYLOAD_CHARS)
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
    }

    private PortalJson() {}

    /** Parses a payload; a syntax error becomes a {@link MalformedMessageException} without the input text. */
    public static JsonNode parse(String json) {
        if (json.length() > MAX_PAYLOAD_CHARS) {
            throw new MalformedMessageException("payload longer than " + MAX_PAYLOAD_CHARS + " characters");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new MalformedMessageException("payload is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new MalformedMessageException(location == null
                    ? "payload is not valid JSON"
                    : "payload is not valid JSON (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a JSON tree could not be written", impossible);
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
