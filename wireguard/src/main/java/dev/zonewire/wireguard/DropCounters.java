package dev.zonewire.wireguard;

import java.util.EnumMap;
import java.util.Map;

/** How many datagrams and packets a tunnel dropped, by reason. Read it from the tunnel's own thread. */
public final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final long[] counts = new long[REASONS.length];
    private long total;

    public long count(DropReason reason) {
        return counts[reason.ordinal()];
    }

    public long total() {
        return total;
    }

    /** A copy of the non-zero counters, for metrics and logs. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> snapshot = new EnumMap<>(DropReason.class);
        for (DropReason reason : REASONS) {
            if (counts[reason.ordinal()] != 0) {
                snapshot.put(reason, counts[reason.ordinal()]);
            }
        }
        return snapshot;
    }

    void increment(DropReason reason) {
        counts[reason.ordinal()]++;
        total++;
    }

    @Override
    public String toString() {
        return "DropCounters" + snapshot();
    }
}
