package dev.zonewire.relay;

import dev.zonewire.stun.StunMethod;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Plain counters owned by the event loop thread; {@link RelayServer#stats()} copies them out. */
final class RelayCounters {
    long allocationsCreated;
    long clientToPeerPackets;
    long clientToPeerBytes;
    long peerToClientPackets;
    long peerToClientBytes;
    private final long[] drops = new long[DropReason.values().length];
    private final Map<RelayStats.ResponseLabel, long[]> responses = new HashMap<>();

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    void drop(DropReason reason, long count) {
        drops[reason.ordinal()] += count;
    }

    void response(int method, int errorCode) {
        String code = errorCode == 0 ? "success" : Integer.toString(errorCode);
        responses.computeIfAbsent(new RelayStats.ResponseLabel(StunMethod.name(method), code), label -> new long[1])[0]++;
    }

    Map<DropReason, Long> dropsSnapshot() {
        Map<DropReason, Long> snapshot = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            snapshot.put(reason, drops[reason.ordinal()]);
        }
        return snapshot;
    }

    Map<RelayStats.ResponseLabel, Long> responsesSnapshot() {
        Map<RelayStats.ResponseLabel, Long> snapshot = new HashMap<>();
        responses.forEach((label, count) -> snapshot.put(label, count[0]));
        return snapshot;
    }
}
