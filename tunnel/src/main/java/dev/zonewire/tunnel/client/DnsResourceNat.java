package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.dns.ProxyIps;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The DNS-resource NAT the client asked each gateway for (the 1.4 flow, through the p2p control protocol):
 * per gateway and name, {@code assigned_ips} was sent and the answer ({@code domain_status}) is awaited,
 * or the gateway confirmed it, or refused it. While awaited, packets to the name's proxy IPs wait here (at
 * most {@value #PACKETS_PER_NAME} per name, the oldest go first), since the gateway would refuse them; the
 * request is repeated every {@value #RESEND_NANOS} ns, as the control protocol is unreliable, and given up
 * after {@value #MAX_ATTEMPTS} attempts. A refused name is asked for again by a packet at least
 * {@value #RESEND_NANOS} ns later; until then its packets pass, and the gateway answers them.
 */
final class DnsResourceNat {
    static final long RESEND_NANOS = 2_000_000_000L;
    static final int MAX_ATTEMPTS = 5;
    static final int PACKETS_PER_NAME = 32;

    enum Status {
        PENDING,
        ACTIVE,
        FAILED
    }

    /** A request to send (again): {@code assigned_ips} for these proxy IPs to this gateway. */
    record Request(UUID gateway, ProxyIps ips) {}

    private static final class Entry {
        Status status = Status.PENDING;
        final ProxyIps ips;
        final ArrayDeque<byte[]> packets = new ArrayDeque<>();
        long sentAt;
        int attempts;

        Entry(ProxyIps ips) {
            this.ips = ips;
        }
    }

    private final Map<UUID, Map<String, Entry>> byGateway = new HashMap<>();
    private long dropped;

    /** The state of {@code name} on {@code gateway}, or null when it was never asked for. Allocates nothing. */
    Status status(UUID gateway, String name) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.get(name);
        return entry == null ? null : entry.status;
    }

    /** A refused name may be asked for again: the last attempt was {@value #RESEND_NANOS} ns ago. */
    boolean retryDue(UUID gateway, String name, long now) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.get(name);
        return entry != null && entry.status == Status.FAILED && now - entry.sentAt >= RESEND_NANOS;
    }

    /**
     * {@code packet} goes to a proxy IP of {@code ips} whose NAT is not confirmed: it waits. Returns true when
     * {@code assigned_ips} must be sent now (the first request for the name).
     */
    boolean await(UUID gateway, ProxyIps ips, byte[] packet, long now) {
        Map<String, Entry> names = byGateway.computeIfAbsent(gateway, any -> new HashMap<>());
        Entry entry = names.get(ips.name());
        boolean first = entry == null || entry.status == Status.FAILED;
        if (first) {
            names.put(ips.name(), entry = new Entry(ips));
            entry.sentAt = now;
            entry.attempts = 1;
        }
        if (entry.packets.size() >= PACKETS_PER_NAME) {
            entry.packets.poll();
            dropped++;
        }
        entry.packets.add(packet);
        return first;
    }

    /** The gateway's answer: on success the waiting packets, oldest first, to send now; otherwise none (they are dropped). */
    List<byte[]> onStatus(UUID gateway, String name, boolean active, long now) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.get(name);
        if (entry == null) {
            return List.of();
        }
        List<byte[]> waiting = new ArrayList<>(entry.packets);
        entry.packets.clear();
        entry.status = active ? Status.ACTIVE : Status.FAILED;
        if (!active) {
            entry.sentAt = now;
            dropped += waiting.size();
            return List.of();
        }
        return waiting;
    }

    /** The resource whose proxy IPs were asked for under this name, or null. */
    UUID resourceOf(UUID gateway, String name) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.get(name);
        return entry == null ? null : entry.ips.resourceId();
    }

    /** Forgets the name and hands over its waiting packets, oldest first (they go on waiting elsewhere). */
    List<byte[]> takeWaiting(UUID gateway, String name) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.remove(name);
        return entry == null ? List.of() : new ArrayList<>(entry.packets);
    }

    /** Requests to repeat now; a name asked for {@value #MAX_ATTEMPTS} times without answer fails and its packets go. */
    List<Request> due(long now) {
        List<Request> due = new ArrayList<>();
        byGateway.forEach((gateway, names) -> names.values().forEach(entry -> {
            if (entry.status != Status.PENDING || now - entry.sentAt < RESEND_NANOS) {
                return;
            }
            if (entry.attempts >= MAX_ATTEMPTS) {
                entry.status = Status.FAILED;
                entry.sentAt = now;
                dropped += entry.packets.size();
                entry.packets.clear();
                return;
            }
            entry.attempts++;
            entry.sentAt = now;
            due.add(new Request(gateway, entry.ips));
        }));
        return due;
    }

    long pollTimeout() {
        long next = Long.MAX_VALUE;
        for (Map<String, Entry> names : byGateway.values()) {
            for (Entry entry : names.values()) {
                if (entry.status == Status.PENDING) {
                    next = Math.min(next, entry.sentAt + RESEND_NANOS);
                }
            }
        }
        return next;
    }

    /** Asks again at the next packet, e.g. after the gateway refused a packet to the name. */
    void forget(UUID gateway, String name) {
        Map<String, Entry> names = byGateway.get(gateway);
        Entry entry = names == null ? null : names.remove(name);
        if (entry != null) {
            dropped += entry.packets.size();
        }
    }

    /** {@code name} is asked for again on every gateway (its proxy IPs went to another name). */
    void forgetName(String name) {
        for (Map<String, Entry> names : byGateway.values()) {
            Entry entry = names.remove(name);
            if (entry != null) {
                dropped += entry.packets.size();
            }
        }
    }

    /** The names of {@code resource} are asked for again (the resource moved, or its flow was re-created). */
    void forgetResource(UUID resource) {
        byGateway.values().forEach(names -> names.values().removeIf(entry -> {
            boolean match = entry.ips.resourceId().equals(resource);
            if (match) {
                dropped += entry.packets.size();
            }
            return match;
        }));
    }

    void forgetGateway(UUID gateway) {
        Map<String, Entry> names = byGateway.remove(gateway);
        if (names != null) {
            names.values().forEach(entry -> dropped += entry.packets.size());
        }
    }

    void clear() {
        new ArrayList<>(byGateway.keySet()).forEach(this::forgetGateway);
    }

    int size() {
        return byGateway.values().stream().mapToInt(Map::size).sum();
    }

    int bufferedPackets() {
        return byGateway.values().stream().flatMap(names -> names.values().stream()).mapToInt(entry -> entry.packets.size()).sum();
    }

    long dropped() {
        return dropped;
    }
}
