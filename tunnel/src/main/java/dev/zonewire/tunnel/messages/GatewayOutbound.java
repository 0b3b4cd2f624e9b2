package dev.zonewire.tunnel.messages;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Messages a gateway sends to the portal on topic {@code gateway} (portal-protocol.md §3.3.3). */
public sealed interface GatewayOutbound {

    /** {@code flow_authorized} (1.4): echoes the opaque {@code ref} of {@code authorize_flow}. */
    record FlowAuthorized(String ref) implements GatewayOutbound {
        public FlowAuthorized {
            Objects.requireNonNull(ref, "ref");
        }
    }

    /** {@code connection_ready} (legacy): echoes {@code ref} with the gateway's answer. */
    record ConnectionReady(String ref, GatewayResponse gatewayPayload) implements GatewayOutbound {
        public ConnectionReady {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(gatewayPayload, "gatewayPayload");
        }
    }

    /** {@code broadcast_ice_candidates}. */
    record BroadcastIceCandidates(List<UUID> clientIds, List<String> candidates) implements GatewayOutbound {
        public BroadcastIceCandidates {
            clientIds = List.copyOf(clientIds);
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code broadcast_invalidated_ice_candidates}. */
    record BroadcastInvalidatedIceCandidates(List<UUID> clientIds, List<String> candidates) implements GatewayOutbound {
        public BroadcastInvalidatedIceCandidates {
            clientIds = List.copyOf(clientIds);
            candidates = List.copyOf(candidates);
        }
    }
}
