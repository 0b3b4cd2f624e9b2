package dev.zonewire.relay.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The /healthz rule. Healthy while the event loop goes round (it wakes at least every second)
 * and, as in the reference, while no portal heartbeat was ever sent or the last one was sent
 * less than 15 minutes ago.
 */
public final class RelayHealth {
    static final Duration HEARTBEAT_WINDOW = Duration.ofMinutes(15);
    static final Duration LOOP_STALL = Duration.ofSeconds(10);

    private final LongSupplier lastLoopTickNanos;
    private volatile Instant lastHeartbeat;

    public RelayHealth(LongSupplier lastLoopTickNanos) {
        this.lastLoopTickNanos = lastLoopTickNanos;
    }

    /** For the portal link: a heartbeat was sent. */
    public void heartbeatSent(Instant at) {
        lastHeartbeat = at;
    }

    public boolean isHealthy(long nowNanos, Instant now) {
        if (nowNanos - lastLoopTickNanos.getAsLong() > LOOP_STALL.toNanos()) {
            return false;
        }
        Instant heartbeat = lastHeartbeat;
        return heartbeat == null || Duration.between(heartbeat, now).compareTo(HEARTBEAT_WINDOW) < 0;
    }
}
