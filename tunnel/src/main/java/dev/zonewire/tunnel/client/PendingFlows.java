package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.messages.ClientOutbound;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Resources a packet wants to reach before the portal has routed them to a gateway (the 1.4 flow:
 * {@code create_flow}, answered by {@code flow_created}). Unlike the reference, which drops these packets,
 * they wait here, at most {@value #PACKETS_PER_FLOW} per resource (the oldest go first), and are sent once
 * the flow exists. The portal is asked at most once per {@value #INTENT_INTERVAL_NANOS} ns per resource; a
 * flow without answer {@value #TIMEOUT_NANOS} ns after the last request is given up with its packets.
 *
 * <p>The request offers the gateways connected recently (at most {@value #RECENT_GATEWAYS}, most recent
 * first), so the portal can reuse a connection.
 */
public final class PendingFlows {
    public static final long INTENT_INTERVAL_NANOS = 2_000_000_000L;
    public static final long TIMEOUT_NANOS = 10_000_000_000L;
    public static final int PACKETS_PER_FLOW = 128;
    public static final int RECENT_GATEWAYS = 100;

    private final Map<UUID, Pending> pending = new LinkedHashMap<>();
    private final LinkedHashMap<UUID, Boolean> recentGateways = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > RECENT_GATEWAYS;
        }
    };
    private long dropped;

    private static final class Pending {
        final ArrayDeque<byte[]> packets = new ArrayDeque<>();
        long lastIntentNanos;

        Pending(long now) {
            this.lastIntentNanos = now;
        }
    }

    /**
     * {@code packet} (a copy the caller no longer needs; null when there is none, e.g. the gateway refused the
     * resource) waits for {@code resource}'s flow. Returns the request to send now, or null while throttled.
     */
    public ClientOutbound.CreateFlow await(UUID resource, byte[] packet, long now) {
        Pending flow = pending.get(resource);
        boolean due = flow == null || now - flow.lastIntentNanos >= INTENT_INTERVAL_NANOS;
        if (flow == null) {
            pending.put(resource, flow = new Pending(now));
        }
        if (packet != null) {
            if (flow.packets.size() >= PACKETS_PER_FLOW) {
                flow.packets.poll();
                dropped++;
            }
            flow.packets.add(packet);
        }
        if (!due) {
            return null;
        }
        flow.lastIntentNanos = now;
        return new ClientOutbound.CreateFlow(resource, recentGatewaysNewestFirst());
    }

    /** The flow for {@code resource} exists: its waiting packets, oldest first, or null when none was pending. */
    public List<byte[]> take(UUID resource) {
        Pending flow = pending.remove(resource);
        return flow == null ? null : new ArrayList<>(flow.packets);
    }

    public boolean isPending(UUID resource) {
        return pending.containsKey(resource);
    }

    /** The portal refused the flow, or the resource went: its packets are dropped. */
    public void forget(UUID resource) {
        Pending flow = pending.remove(resource);
        if (flow != null) {
            dropped += flow.packets.size();
        }
    }

    public void connectedTo(UUID gateway) {
        recentGateways.put(gateway, Boolean.TRUE);
    }

    /** A network change: nothing pending is still valid, and gateways of the old network are no preference. */
    public void clear() {
        pending.values().forEach(flow -> dropped += flow.packets.size());
        pending.clear();
        recentGateways.clear();
    }

    public void handleTimeout(long now) {
        Iterator<Pending> each = pending.values().iterator();
        while (each.hasNext()) {
            Pending flow = each.next();
            if (now - flow.lastIntentNanos >= TIMEOUT_NANOS) {
                dropped += flow.packets.size();
                each.remove();
            }
        }
    }

    public long pollTimeout() {
        long next = Long.MAX_VALUE;
        for (Pending flow : pending.values()) {
            next = Math.min(next, flow.lastIntentNanos + TIMEOUT_NANOS);
        }
        return next;
    }

    public int size() {
        return pending.size();
    }

    public int bufferedPackets() {
        return pending.values().stream().mapToInt(flow -> flow.packets.size()).sum();
    }

    /** Packets that waited in vain: overflow, refusal, timeout or network change. */
    public long dropped() {
        return dropped;
    }

    private List<UUID> recentGatewaysNewestFirst() {
        List<UUID> gateways = new ArrayList<>(recentGateways.keySet());
        return gateways.reversed();
    }
}
