package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.net.Addresses;
import java.util.UUID;

/**
 * Where one proxy IP of a client points (tunnel.md §4.5.3), and whether that real IP still answers.
 * An outgoing packet starts a grace period when, looking {@value #USED_WINDOW_NANOS} ns ahead, no incoming
 * packet will have been seen for {@value #SILENCE_NANOS} ns; an incoming packet ends it. The translation
 * is expired once the grace period is {@value #GRACE_NANOS} ns old and the silence has lasted.
 */
final class TranslationState {
    static final long SILENCE_NANOS = 120_000_000_000L;
    static final long GRACE_NANOS = 1_000_000_000L;
    static final long USED_WINDOW_NANOS = 10_000_000_000L;

    final UUID resourceId;
    final String name;
    final IpAddress proxyIp;
    final IpAddress realIp;
    final long realHigh;
    final long realLow;
    private final long createdNanos;
    private boolean seenIncoming;
    private long lastIncomingNanos;
    private boolean graceRunning;
    private long graceStartedNanos;

    TranslationState(UUID resourceId, String name, IpAddress proxyIp, IpAddress realIp, long nowNanos) {
        this.resourceId = resourceId;
        this.name = name;
        this.proxyIp = proxyIp;
        this.realIp = realIp;
        this.realHigh = Addresses.high(realIp);
        this.realLow = Addresses.low(realIp);
        this.createdNanos = nowNanos;
    }

    void onOutgoing(long nowNanos) {
        if (!graceRunning && silentFor(nowNanos + USED_WINDOW_NANOS)) {
            graceRunning = true;
            graceStartedNanos = nowNanos;
        }
    }

    void onIncoming(long nowNanos) {
        seenIncoming = true;
        lastIncomingNanos = nowNanos;
        graceRunning = false;
    }

    boolean isExpired(long nowNanos) {
        return graceRunning && nowNanos - graceStartedNanos >= GRACE_NANOS && silentFor(nowNanos);
    }

    /** No incoming packet for {@value #SILENCE_NANOS} ns (counted from creation when there never was one). */
    boolean silentFor(long nowNanos) {
        return nowNanos - (seenIncoming ? lastIncomingNanos : createdNanos) >= SILENCE_NANOS;
    }
}
