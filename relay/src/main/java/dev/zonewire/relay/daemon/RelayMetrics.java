package dev.zonewire.relay.daemon;

import dev.zonewire.relay.DropReason;
import dev.zonewire.relay.RelayStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;

/** Prometheus metrics read from the event loop's latest {@link RelayStats}. */
final class RelayMetrics {
    private RelayMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<RelayStats> stats) {
        GaugeWithCallback.builder().name("relay_allocations").help("Allocations that exist now")
                .callback(cb -> cb.call(stats.get().allocations())).register(registry);
        CounterWithCallback.builder().name("relay_allocations_opened").help("Allocations made since start")
                .callback(cb -> cb.call(stats.get().allocationsCreated())).register(registry);
        GaugeWithCallback.builder().name("relay_channels").help("Channel bindings that relay now (not in cooldown)")
                .callback(cb -> cb.call(stats.get().boundChannels())).register(registry);
        GaugeWithCallback.builder().name("relay_nonces_tracked").help("Nonces whose use count is being tracked")
                .callback(cb -> cb.call(stats.get().trackedNonces())).register(registry);
        CounterWithCallback.builder().name("relay_relayed_packets").help("Datagrams relayed, by direction")
                .labelNames("direction")
                .callback(cb -> {
                    RelayStats s = stats.get();
                    cb.call(s.clientToPeerPackets(), "client_to_peer");
                    cb.call(s.peerToClientPackets(), "peer_to_client");
                }).register(registry);
        CounterWithCallback.builder().name("relay_relayed_bytes").help("Payload bytes relayed, by direction")
                .labelNames("direction")
                .callback(cb -> {
                    RelayStats s = stats.get();
                    cb.call(s.clientToPeerBytes(), "client_to_peer");
                    cb.call(s.peerToClientBytes(), "peer_to_client");
                }).register(registry);
        CounterWithCallback.builder().name("relay_responses").help("STUN responses sent, by method and code")
                .labelNames("method", "code")
                .callback(cb -> stats.get().responses().forEach((label, count) -> cb.call(count, label.method(), label.code())))
                .register(registry);
        CounterWithCallback.builder().name("relay_dropped_packets").help("Datagrams dropped, by reason")
                .labelNames("reason")
                .callback(cb -> {
                    RelayStats s = stats.get();
                    for (DropReason reason : DropReason.values()) {
                        cb.call(s.drops().getOrDefault(reason, 0L), reason.label());
                    }
                }).register(registry);
    }
}
