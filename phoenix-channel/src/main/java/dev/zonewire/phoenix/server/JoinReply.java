package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** A join handler's answer: join with this response, or refuse with it. */
public sealed interface JoinReply {
    record Ok(JsonNode response) implements JoinReply {}

    record Error(JsonNode response) implements JoinReply {}

    static JoinReply ok() {
        return new Ok(JsonNodeFactory.instance.objectNode());
    }

    static JoinReply ok(JsonNode response) {
        return new Ok(response);
    }

    /** Refuses with {@code {"reason": reason}}, the shape Firezone's components read. */
    static JoinReply error(String reason) {
        return new Error(JsonNodeFactory.instance.objectNode().put("reason", reason));
    }
}
