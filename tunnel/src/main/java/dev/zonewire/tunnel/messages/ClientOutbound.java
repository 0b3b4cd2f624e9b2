package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Messages a client sends to the portal on topic {@code client} (portal-protocol.md §3.2.3). */
public sealed interface ClientOutbound {

    /** {@code prepare_connection} (legacy): ask the portal to pick a gateway; the reply is a {@link ConnectionDetails}. */
    record PrepareConnection(UUID resourceId, List<UUID> connectedGatewayIds) implements ClientOutbound {
        public PrepareConnection {
            Objects.requireNonNull(resourceId, "resourceId");
            connectedGatewayIds = List.copyOf(connectedGatewayIds);
        }
    }

    /**
     * {@code request_connection} (legacy): a new connection with the client's own ICE credentials and
     * preshared key; {@code domain} is the NAT hint for a DNS resource, or null. The deferred reply is a {@link Connect}.
     */
    record RequestConnection(UUID gatewayId, UUID resourceId, Secret clientPresharedKey, IceCredentials iceParameters,
                             ResolveRequest domain) implements ClientOutbound {
        public RequestConnection {
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(clientPresharedKey, "clientPresharedKey");
            Objects.requireNonNull(iceParameters, "iceParameters");
        }
    }

    /** {@code reuse_connection} (legacy): access to another resource over an existing connection; {@code payload} may be null. */
    record ReuseConnection(UUID resourceId, UUID gatewayId, ResolveRequest payload) implements ClientOutbound {
        public ReuseConnection {
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(gatewayId, "gatewayId");
        }
    }

    /** {@code broadcast_ice_candidates}. */
    record BroadcastIceCandidates(List<UUID> gatewayIds, List<String> candidates) implements ClientOutbound {
        public BroadcastIceCandidates {
            gatewayIds = List.copyOf(gatewayIds);
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code broadcast_invalidated_ice_candidates}. */
    record BroadcastInvalidatedIceCandidates(List<UUID> gatewayIds, List<String> candidates) implements ClientOutbound {
        public BroadcastInvalidatedIceCandidates {
            gatewayIds = List.copyOf(gatewayIds);
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code create_flow} (1.4 flow): the result arrives as {@code flow_created} or {@code flow_creation_failed}. */
    record CreateFlow(UUID resourceId, List<UUID> connectedGatewayIds) implements ClientOutbound {
        public CreateFlow {
            Objects.requireNonNull(resourceId, "resourceId");
            connectedGatewayIds = List.copyOf(connectedGatewayIds);
        }
    }
}
