package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/** One push from a client, answered at most once with {@link #replyOk} or {@link #replyError}. */
public final class Inbound {
    private final String event;
    private final JsonNode payload;
    private final ReplySink sink;
    private final AtomicBoolean replied = new AtomicBoolean();

    interface ReplySink {
        void reply(boolean ok, JsonNode response);
    }

    Inbound(String event, JsonNode payload, ReplySink sink) {
        this.event = event;
        this.payload = payload;
        this.sink = sink;
    }

    public String event() {
        return event;
    }

    public JsonNode payload() {
        return payload;
    }

    /** Answers with {@code status: ok}; returns false if this push was already answered. */
    public boolean replyOk(JsonNode response) {
        return reply(true, response);
    }

    /** Answers with {@code status: error} and {@code {"reason": reason}}. */
    public boolean replyError(String reason) {
        return reply(false, JsonNodeFactory.instance.objectNode().put("reason", reason));
    }

    public boolean replyError(JsonNode response) {
        return reply(false, response);
    }

    private boolean reply(boolean ok, JsonNode response) {
        if (!replied.compareAndSet(false, true)) {
            return false;
        }
        sink.reply(ok, response);
        return true;
    }
}
