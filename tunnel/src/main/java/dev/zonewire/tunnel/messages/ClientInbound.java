package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Messages the portal pushes to a client on topic {@code client} (portal-protocol.md §3.2.2). */
public sealed interface ClientInbound {

    /** {@code init}: the interface, the full resource set (replaces the old one) and relays to add. */
    record Init(Interface iface, List<ClientResource> resources, List<Relay> relays) implements ClientInbound {
        public Init {
            Objects.requireNonNull(iface, "iface");
            resources = List.copyOf(resources);
            relays = List.copyOf(relays);
        }
    }

    /** {@code config_changed}. */
    record ConfigChanged(Interface iface) implements ClientInbound {
        public ConfigChanged {
            Objects.requireNonNull(iface, "iface");
        }
    }

    /** {@code resource_created_or_updated}. */
    record ResourceCreatedOrUpdated(ClientResource resource) implements ClientInbound {
        public ResourceCreatedOrUpdated {
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** {@code resource_deleted}: its payload is the bare id string. */
    record ResourceDeleted(UUID resourceId) implements ClientInbound {
        public ResourceDeleted {
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }

    /** {@code relays_presence}. */
    record RelaysPresence(List<UUID> disconnectedIds, List<Relay> connected) implements ClientInbound {
        public RelaysPresence {
            disconnectedIds = List.copyOf(disconnectedIds);
            connected = List.copyOf(connected);
        }
    }

    /** {@code ice_candidates} from one gateway. */
    record IceCandidates(UUID gatewayId, List<String> candidates) implements ClientInbound {
        public IceCandidates {
            Objects.requireNonNull(gatewayId, "gatewayId");
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code invalidate_ice_candidates} from one gateway. */
    record InvalidateIceCandidates(UUID gatewayId, List<String> candidates) implements ClientInbound {
        public InvalidateIceCandidates {
            Objects.requireNonNull(gatewayId, "gatewayId");
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * {@code flow_created} (1.4 flow): the portal chose {@code gatewayId} in site {@code siteId}, made the
     * preshared key and both sides' ICE credentials. The preshared key is ignored when a connection to that
     * gateway already exists.
     */
    record FlowCreated(UUID resourceId, UUID gatewayId, UUID siteId, PublicKey gatewayPublicKey, Secret presharedKey,
                       IceCredentials clientIceCredentials, IceCredentials gatewayIceCredentials) implements ClientInbound {
        public FlowCreated {
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(siteId, "siteId");
            Objects.requireNonNull(gatewayPublicKey, "gatewayPublicKey");
            Objects.requireNonNull(presharedKey, "presharedKey");
            Objects.requireNonNull(clientIceCredentials, "clientIceCredentials");
            Objects.requireNonNull(gatewayIceCredentials, "gatewayIceCredentials");
        }
    }

    /** {@code flow_creation_failed} (1.4 flow): {@code reason} is {@code not_found}, {@code offline} or {@code forbidden}. */
    record FlowCreationFailed(UUID resourceId, String reason, List<String> violatedProperties) implements ClientInbound {
        public FlowCreationFailed {
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(reason, "reason");
            violatedProperties = List.copyOf(violatedProperties);
        }
    }

    /** {@code disconnect}: fatal, e.g. {@code token_expired}. */
    record Disconnect(String reason) implements ClientInbound {
        public Disconnect {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
