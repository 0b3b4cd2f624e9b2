package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Example frames taken from the spec and the reference's fixtures, stored under frames/. */
final class Frames {

    private Frames() {}

    static JsonNode frame(String name) {
        try (InputStream in = Frames.class.getResourceAsStream("frames/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no frame " + name);
            }
            return PortalJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String event(String name) {
        return frame(name).get("event").textValue();
    }

    static JsonNode payload(String name) {
        return frame(name).get("payload");
    }

    /** The {@code response} of a {@code phx_reply} frame. */
    static JsonNode response(String name) {
        return payload(name).get("response");
    }

    static <T> T message(Decoded<T> decoded) {
        if (decoded instanceof Decoded.Message<T>(T message)) {
            return message;
        }
        throw new AssertionError("expected a decoded message, got " + decoded);
    }
}
