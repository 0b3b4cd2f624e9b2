package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.ConnectionDetails;
import dev.zonewire.tunnel.messages.ResolveRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The client's side of gateway choice (tunnel.md §3.5): when a packet meets a resource without a
 * gateway, ask the portal at most once per {@value #THROTTLE_NANOS} ns, offering the gateways connected
 * recently so it can reuse one; accept only the reply to the newest request for a resource; remember the
 * DNS name that triggered the first request so the chosen gateway can set up its NAT.
 */
public final class ConnectionIntents {
    public static final long THROTTLE_NANOS = 2_000_000_000L;
    public static final int RECENT_GATEWAYS = 100;

    private final Map<UUID, Awaiting> awaiting = new HashMap<>();
    private final Map<Long, UUID> resourceByRef = new HashMap<>();
    private final Map<UUID, Long> newestRefByResource = new HashMap<>();
    private final LinkedHashMap<UUID, Boolean> recentGateways = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > RECENT_GATEWAYS;
        }
    };

    /** The accepted routing decision, with the name whose packet started it (null for CIDR and Internet). */
    public record Routed(UUID resourceId, UUID gatewayId, UUID siteId, ResolveRequest pendingDomain) {}

    /**
     * A packet for {@code resource} found no gateway: the message to send, or null while throttled.
     * {@code domain} is the proxy-IP name the packet went to, if any; only the first one is kept.
     */
    public ClientOutbound.PrepareConnection intent(UUID resource, ResolveRequest domain, long nowNanos) {
        Awaiting entry = awaiting.get(resource);
        if (entry != null && nowNanos - entry.lastSentNanos < THROTTLE_NANOS) {
            return null;
        }
        if (entry == null) {
            awaiting.put(resource, new Awaiting(domain, nowNanos));
        } else {
            entry.lastSentNanos = nowNanos;
        }
        // Sorted by UUID like the reference, not by recency.
        List<UUID> gateways = new ArrayList<>(recentGateways.keySet());
        gateways.sort(Comparator.comparing(UUID::toString));
        return new ClientOutbound.PrepareConnection(resource, gateways);
    }

    /** The channel sent the intent for {@code resource} under {@code ref}; earlier requests for it are now stale. */
    public void sent(long ref, UUID resource) {
        resourceByRef.values().removeIf(resource::equals);
        resourceByRef.put(ref, resource);
        newestRefByResource.put(resource, ref);
    }

    /**
     * The portal's reply to {@code ref}: the routing to act on, or null when it is stale (a newer request
     * is outstanding) or unknown. Accepting forgets every request of that resource.
     */
    public Routed accept(long ref, ConnectionDetails details) {
        UUID resource = resourceByRef.remove(ref);
        if (resource == null || !resource.equals(details.resourceId()) || newestRefByResource.getOrDefault(resource, -1L) != ref) {
            return null;
        }
        newestRefByResource.remove(resource);
        resourceByRef.values().removeIf(resource::equals);
        Awaiting entry = awaiting.remove(resource);
        recentGateways.put(details.gatewayId(), Boolean.TRUE);
        return new Routed(resource, details.gatewayId(), details.siteId(), entry == null ? null : entry.domain);
    }

    /** The portal answered {@code offline} to {@code ref}: only that request is forgotten. Returns its resource, or null. */
    public UUID offline(long ref) {
        UUID resource = resourceByRef.remove(ref);
        if (resource != null && newestRefByResource.getOrDefault(resource, -1L) == ref) {
            newestRefByResource.remove(resource);
        }
        return resource;
    }

    /** The resource was removed or disabled: its pending request is dropped. */
    public void forget(UUID resource) {
        awaiting.remove(resource);
    }

    /** A network change: the portal should not prefer gateways of the old network. */
    public void clearRecentGateways() {
        recentGateways.clear();
    }

    public boolean isAwaiting(UUID resource) {
        return awaiting.containsKey(resource);
    }

    public int outstandingRequests() {
        return resourceByRef.size();
    }

    private static final class Awaiting {
        final ResolveRequest domain;
        long lastSentNanos;

        Awaiting(ResolveRequest domain, long lastSentNanos) {
            this.domain = domain;
            this.lastSentNanos = lastSentNanos;
        }
    }
}
