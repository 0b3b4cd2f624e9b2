package dev.zonewire.wireguard;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per source IP address for handshake messages under load: 20 a second with bursts
 * of 5, as wireguard-go allows. Buckets idle for a second are swept away, and the table never holds
 * more than a fixed number of addresses: when full, new addresses are refused until a sweep.
 */
final class SourceRateLimiter {
    static final int MAX_SOURCES = 16_384;
    static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    private static final long PACKET_COST_NANOS = 1_000_000_000L / 20;
    private static final long MAX_TOKENS = PACKET_COST_NANOS * 5;

    private static final class Bucket {
        long tokens;
        long lastSeen;
    }

    private final Map<InetAddress, Bucket> buckets = new HashMap<>();

    boolean allow(InetAddress source, long now) {
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= MAX_SOURCES) {
                return false;
            }
            bucket = new Bucket();
            bucket.tokens = MAX_TOKENS - PACKET_COST_NANOS;
            bucket.lastSeen = now;
            buckets.put(source, bucket);
            return true;
        }
        bucket.tokens = Math.min(MAX_TOKENS, bucket.tokens + (now - bucket.lastSeen));
        bucket.lastSeen = now;
        if (bucket.tokens > PACKET_COST_NANOS) {
            bucket.tokens -= PACKET_COST_NANOS;
            return true;
        }
        return false;
    }

    /** Removes the buckets idle for more than a second. */
    void sweep(long now) {
        Iterator<Bucket> iterator = buckets.values().iterator();
        while (iterator.hasNext()) {
            if (now - iterator.next().lastSeen > SWEEP_INTERVAL_NANOS) {
                iterator.remove();
            }
        }
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }
}
