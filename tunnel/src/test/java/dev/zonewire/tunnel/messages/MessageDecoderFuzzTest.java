package dev.zonewire.tunnel.messages;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any event name and payload text: decoding returns a result for every input and never throws. The seed
 * corpus holds the spec's example payloads so the fuzzer starts from well-formed messages.
 */
class MessageDecoderFuzzTest {
    private static final List<String> EVENTS = List.of("init", "config_changed", "resource_created_or_updated", "resource_deleted",
            "relays_presence", "ice_candidates", "invalidate_ice_candidates", "flow_created", "flow_creation_failed", "disconnect",
            "prepare_connection", "request_connection", "reuse_connection", "broadcast_ice_candidates",
            "broadcast_invalidated_ice_candidates", "create_flow", "authorize_flow", "allow_access", "reject_access",
            "resource_updated", "flow_authorized", "connection_ready", "something_else");

    @FuzzTest(maxDuration = "20s")
    void decodingAnyPayloadNeverThrows(FuzzedDataProvider data) {
        String event = EVENTS.get(data.consumeInt(0, EVENTS.size() - 1));
        String payload = data.consumeRemainingAsString();

        ClientMessages.decodeInbound(event, payload);
        ClientMessages.decodeOutbound(event, payload);
        GatewayMessages.decodeInbound(event, payload);
        GatewayMessages.decodeOutbound(event, payload);
        decodeReplies(payload);
    }

    private static void decodeReplies(String payload) {
        try {
            var json = PortalJson.parse(payload);
            ClientMessages.decodeConnectionDetails(json);
            ClientMessages.decodeConnect(json);
            ClientMessages.decodeErrorReply(json);
        } catch (MalformedMessageException expected) {
            // Not JSON at all: the reply decoders take a parsed tree, so there is nothing more to try.
        }
    }
}
