package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;

/** One application message as the channel layer carries it: the event name and its JSON payload. */
public record PortalMessage(String event, JsonNode payload) {

    public String payloadJson() {
        return PortalJson.write(payload);
    }
}
