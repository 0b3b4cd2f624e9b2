package dev.zonewire.tunnel.sim;

import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientMessages;
import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayMessages;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.IceCredentials;
import dev.zonewire.tunnel.messages.PortalMessage;
import dev.zonewire.tunnel.messages.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The portal as the simulation plays it: the policy (which resources exist, which the client may reach,
 * their filters, which site serves them), the 1.4 flow ({@code create_flow} → {@code authorize_flow} →
 * {@code flow_authorized} → {@code flow_created}), and signalling. Every message goes through the JSON
 * codecs both ways and reaches its recipient after a latency, in order per channel, unless a channel is
 * held and then released in shuffled order (reordered portal messages).
 */
final class StubPortal {
    static final long LATENCY_NANOS = 30_000_000L;

    private final World world;
    final Map<UUID, PortalResource> resources = new LinkedHashMap<>();
    final Map<UUID, List<UUID>> gatewaysBySite = new LinkedHashMap<>();
    /** Resources the client is granted, in the order they were granted. */
    final Set<UUID> granted = new LinkedHashSet<>();
    /** The gateway and expiry (Unix seconds) of the client's current flow per resource. */
    final Map<UUID, Authorization> authorizations = new HashMap<>();
    private final Map<String, PendingFlow> pendingFlows = new HashMap<>();
    private final Map<Object, Channel> channels = new HashMap<>();
    private long nextRef;
    long flowsCreated;

    record Authorization(UUID gateway, long expiresAtSeconds) {}

    private record PendingFlow(UUID resource, UUID gateway, Secret presharedKey, IceCredentials clientIce, IceCredentials gatewayIce,
                               long expiresAtSeconds) {}

    /** One direction of one WebSocket: ordered, unless held. */
    private final class Channel {
        long lastDelivery;
        List<Runnable> held;

        void deliver(Runnable delivery) {
            if (held != null) {
                held.add(delivery);
                return;
            }
            lastDelivery = Math.max(world.now + LATENCY_NANOS, lastDelivery + 1);
            world.schedule(lastDelivery, delivery);
        }
    }

    StubPortal(World world) {
        this.world = world;
    }

    // Towards the client and the gateways.

    void toClient(ClientInbound message) {
        PortalMessage frame = ClientMessages.encode(message);
        ClientInbound decoded = expectMessage(ClientMessages.decodeInbound(frame.event(), frame.payloadJson()));
        channel("client").deliver(() -> world.client.portalMessage(decoded));
    }

    void toGateway(UUID gateway, GatewayInbound message) {
        PortalMessage frame = GatewayMessages.encode(message);
        GatewayInbound decoded = expectMessage(GatewayMessages.decodeInbound(frame.event(), frame.payloadJson()));
        channel(gateway).deliver(() -> world.gateway(gateway).portalMessage(decoded));
    }

    /** Messages to the client wait until {@link #releaseClientShuffled()}. */
    void holdClient() {
        Channel client = channel("client");
        if (client.held == null) {
            client.held = new ArrayList<>();
        }
    }

    void releaseClientShuffled() {
        Channel client = channel("client");
        List<Runnable> held = client.held;
        client.held = null;
        if (held != null) {
            Collections.shuffle(held, new java.util.Random(world.random.nextLong()));
            held.forEach(client::deliver);
        }
    }

    // From the client and the gateways.

    void fromClient(ClientOutbound message) {
        PortalMessage frame = ClientMessages.encode(message);
        ClientOutbound decoded = expectMessage(ClientMessages.decodeOutbound(frame.event(), frame.payloadJson()));
        channel("from client").deliver(() -> handleClient(decoded));
    }

    void fromGateway(UUID gateway, GatewayOutbound message) {
        PortalMessage frame = GatewayMessages.encode(message);
        GatewayOutbound decoded = expectMessage(GatewayMessages.decodeOutbound(frame.event(), frame.payloadJson()));
        channel("from " + gateway).deliver(() -> handleGateway(gateway, decoded));
    }

    private void handleClient(ClientOutbound message) {
        switch (message) {
            case ClientOutbound.CreateFlow flow -> createFlow(flow);
            case ClientOutbound.BroadcastIceCandidates candidates -> candidates.gatewayIds().forEach(gateway ->
                    toGateway(gateway, new GatewayInbound.IceCandidates(World.CLIENT_ID, candidates.candidates())));
            case ClientOutbound.BroadcastInvalidatedIceCandidates candidates -> candidates.gatewayIds().forEach(gateway ->
                    toGateway(gateway, new GatewayInbound.InvalidateIceCandidates(World.CLIENT_ID, candidates.candidates())));
            default -> throw new AssertionError("a 1.4 client never sends " + message);
        }
    }

    private void handleGateway(UUID gateway, GatewayOutbound message) {
        switch (message) {
            case GatewayOutbound.FlowAuthorized authorized -> {
                PendingFlow flow = pendingFlows.remove(authorized.ref());
                if (flow == null) {
                    throw new AssertionError("flow_authorized with a ref the portal never made");
                }
                PortalResource resource = resources.get(flow.resource());
                authorizations.put(flow.resource(), new Authorization(flow.gateway(), flow.expiresAtSeconds()));
                flowsCreated++;
                world.flowHeld.put(flow.resource(), World.Held.YES);
                toClient(new ClientInbound.FlowCreated(flow.resource(), flow.gateway(), resource.site().id(),
                        PublicKey.of(world.gateway(flow.gateway()).state.publicKey().bytes()), flow.presharedKey(), flow.clientIce(),
                        flow.gatewayIce()));
            }
            case GatewayOutbound.BroadcastIceCandidates candidates ->
                    toClient(new ClientInbound.IceCandidates(gateway, candidates.candidates()));
            case GatewayOutbound.BroadcastInvalidatedIceCandidates candidates ->
                    toClient(new ClientInbound.InvalidateIceCandidates(gateway, candidates.candidates()));
            case GatewayOutbound.ConnectionReady ready -> throw new AssertionError("the simulation uses the 1.4 flow only");
        }
    }

    private void createFlow(ClientOutbound.CreateFlow request) {
        PortalResource resource = resources.get(request.resourceId());
        if (resource == null || !granted.contains(resource.id())) {
            toClient(new ClientInbound.FlowCreationFailed(request.resourceId(), "forbidden", List.of()));
            return;
        }
        List<UUID> candidates = gatewaysBySite.get(resource.site().id());
        UUID gateway = request.connectedGatewayIds().stream().filter(candidates::contains).findFirst()
                .orElse(candidates.get(Math.floorMod(resource.id().hashCode(), candidates.size())));
        byte[] psk = new byte[32];
        world.random.nextBytes(psk);
        IceCredentials[] ice = iceCredentials(World.CLIENT_ID, PublicKey.of(world.client.state.publicKey().bytes()), gateway,
                PublicKey.of(world.gateway(gateway).state.publicKey().bytes()));
        String ref = "ref-" + nextRef++;
        long expiresAt = world.utcSeconds() + world.spec.flowLifetimeSeconds();
        pendingFlows.put(ref, new PendingFlow(resource.id(), gateway, Secret.ofBytes(psk), ice[0], ice[1], expiresAt));
        var client = new GatewayInbound.FlowClient(World.CLIENT_ID, PublicKey.of(world.client.state.publicKey().bytes()),
                Secret.ofBytes(psk), World.CLIENT_TUNNEL_V4, World.CLIENT_TUNNEL_V6);
        toGateway(gateway, new GatewayInbound.AuthorizeFlow(ref, UUID.randomUUID(), UUID.randomUUID(), resource.forGateway(), ice[1], client,
                ice[0], expiresAt));
    }

    /**
     * The 1.4 ICE credentials (portal-protocol.md §3.5): SHA-256 of
     * {@code client_id:client_key:gateway_id:gateway_key}, base32 (lower case, no padding), sliced 4/22/4/22.
     */
    static IceCredentials[] iceCredentials(UUID client, PublicKey clientKey, UUID gateway, PublicKey gatewayKey) {
        String seed = client + ":" + clientKey.toBase64() + ":" + gateway + ":" + gatewayKey.toBase64();
        String digest;
        try {
            digest = base32(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new AssertionError(impossible);
        }
        return new IceCredentials[] {
            new IceCredentials(digest.substring(0, 4), Secret.of(digest.substring(4, 26))),
            new IceCredentials(digest.substring(26, 30), Secret.of(digest.substring(30, 52)))
        };
    }

    private static String base32(byte[] bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder text = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | b & 0xFF;
            bits += 8;
            while (bits >= 5) {
                text.append(alphabet.charAt(buffer >>> (bits - 5) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            text.append(alphabet.charAt(buffer << (5 - bits) & 31));
        }
        return text.toString();
    }

    private Channel channel(Object key) {
        return channels.computeIfAbsent(key, any -> new Channel());
    }

    private static <T> T expectMessage(Decoded<T> decoded) {
        if (decoded instanceof Decoded.Message<T>(T message)) {
            return message;
        }
        throw new AssertionError("the portal's own message does not decode: " + decoded);
    }
}
