package dev.zonewire.relay;

import java.util.Map;

/**
 * A snapshot of the relay's counters, made on the event loop and handed to metrics.
 *
 * @param responses STUN responses sent, by method name and code ("success" or the error code)
 */
public record RelayStats(int allocations, int boundChannels, long allocationsCreated, int trackedNonces,
                         long clientToPeerPackets, long clientToPeerBytes,
                         long peerToClientPackets, long peerToClientBytes,
                         Map<DropReason, Long> drops, Map<ResponseLabel, Long> responses) {

    public RelayStats {
        drops = Map.copyOf(drops);
        responses = Map.copyOf(responses);
    }

    public record ResponseLabel(String method, String code) {
    }
}
