package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Messages the portal pushes to a gateway on topic {@code gateway} (portal-protocol.md §3.3.2).
 * {@code expiresAt} fields are Unix seconds, or null for "no expiry"; the key must be present.
 */
public sealed interface GatewayInbound {

    /** {@code init}: the masquerade flags are parsed but unused (NAT to the LAN is the host's job). */
    record Init(Interface iface, boolean ipv4MasqueradeEnabled, boolean ipv6MasqueradeEnabled, List<Relay> relays)
            implements GatewayInbound {
        public Init {
            Objects.requireNonNull(iface, "iface");
            relays = List.copyOf(relays);
        }
    }

    /** {@code relays_presence}. */
    record RelaysPresence(List<UUID> disconnectedIds, List<Relay> connected) implements GatewayInbound {
        public RelaysPresence {
            disconnectedIds = List.copyOf(disconnectedIds);
            connected = List.copyOf(connected);
        }
    }

    /** The client of a 1.4 flow; its preshared key was made by the portal. */
    record FlowClient(UUID id, PublicKey publicKey, Secret presharedKey, Inet4Address ipv4, Inet6Address ipv6) {
        public FlowClient {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(presharedKey, "presharedKey");
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
        }
    }

    /**
     * {@code authorize_flow} (1.4): upsert the connection with both credential sets and the portal's
     * preshared key, grant access until {@code expiresAt}, then answer {@code flow_authorized} with {@code ref}.
     * {@code flowId} and {@code actorId} are informational and may be null.
     */
    record AuthorizeFlow(String ref, UUID flowId, UUID actorId, GatewayResource resource, IceCredentials gatewayIceCredentials,
                         FlowClient client, IceCredentials clientIceCredentials, Long expiresAt) implements GatewayInbound {
        public AuthorizeFlow {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(gatewayIceCredentials, "gatewayIceCredentials");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(clientIceCredentials, "clientIceCredentials");
        }
    }

    /** The WireGuard peer of a legacy request: the preshared key is the client's own. */
    record LegacyPeer(Integer persistentKeepalive, PublicKey publicKey, Secret presharedKey, Inet4Address ipv4, Inet6Address ipv6) {
        public LegacyPeer {
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(presharedKey, "presharedKey");
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
        }
    }

    /** The client of a legacy request: its ICE offer, the optional DNS NAT hint and its peer. */
    record LegacyClient(UUID id, IceCredentials iceParameters, ResolveRequest domain, LegacyPeer peer) {
        public LegacyClient {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(iceParameters, "iceParameters");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** {@code request_connection} (legacy): accept the offer, grant access, answer {@code connection_ready}. */
    record RequestConnection(String ref, UUID flowId, UUID actorId, GatewayResource resource, LegacyClient client, Long expiresAt)
            implements GatewayInbound {
        public RequestConnection {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(client, "client");
        }
    }

    /** {@code allow_access} (legacy): grant access over an existing connection; nothing is sent back. */
    record AllowAccess(String ref, UUID clientId, UUID flowId, GatewayResource resource, Long expiresAt, ResolveRequest payload,
                       Inet4Address clientIpv4, Inet6Address clientIpv6) implements GatewayInbound {
        public AllowAccess {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(clientIpv4, "clientIpv4");
            Objects.requireNonNull(clientIpv6, "clientIpv6");
        }
    }

    /** {@code reject_access}: take the resource away from the client. */
    record RejectAccess(UUID flowId, UUID clientId, UUID resourceId) implements GatewayInbound {
        public RejectAccess {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }

    /** {@code resource_updated}: new filters for every client holding the resource. */
    record ResourceUpdated(GatewayResource resource) implements GatewayInbound {
        public ResourceUpdated {
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** {@code ice_candidates} from one client. */
    record IceCandidates(UUID clientId, List<String> candidates) implements GatewayInbound {
        public IceCandidates {
            Objects.requireNonNull(clientId, "clientId");
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code invalidate_ice_candidates} from one client. */
    record InvalidateIceCandidates(UUID clientId, List<String> candidates) implements GatewayInbound {
        public InvalidateIceCandidates {
            Objects.requireNonNull(clientId, "clientId");
            candidates = List.copyOf(candidates);
        }
    }

    /** {@code disconnect}: fatal. */
    record Disconnect(String reason) implements GatewayInbound {
        public Disconnect {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
