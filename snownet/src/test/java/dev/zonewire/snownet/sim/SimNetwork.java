package dev.zonewire.snownet.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The simulated internet: datagrams between public addresses, each arriving after a latency (plus
 * random jitter, which reorders them) unless random loss or a blocking rule drops it. One thread,
 * a virtual clock, a seeded random source.
 */
final class SimNetwork {

    /** Whoever owns a public IP address: a host, a NAT, a relay. */
    interface Endpoint {
        void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now);
    }

    record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    private record Scheduled(long at, long order, Datagram datagram) {
    }

    final RandomGenerator random;
    private final Map<InetAddress, Endpoint> endpoints = new HashMap<>();
    private final PriorityQueue<Scheduled> inFlight = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    long latencyNanos = 10_000_000L;
    long jitterNanos;
    double lossRate;
    /** Datagrams matching this vanish, e.g. everything to or from a relay that died. */
    Predicate<Datagram> blocked = datagram -> false;
    long delivered;
    long dropped;

    SimNetwork(RandomGenerator random) {
        this.random = random;
    }

    void attach(InetAddress address, Endpoint endpoint) {
        endpoints.put(address, endpoint);
    }

    void detach(InetAddress address) {
        endpoints.remove(address);
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        Datagram datagram = new Datagram(from, to, bytes.clone());
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        long jitter = jitterNanos > 0 ? random.nextLong(jitterNanos) : 0;
        inFlight.add(new Scheduled(now + latencyNanos + jitter, order++, datagram));
    }

    long nextArrival() {
        Scheduled next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.at;
    }

    /** Delivers every datagram due by {@code now}. */
    void deliverDue(long now) {
        while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
            Datagram datagram = inFlight.poll().datagram;
            Endpoint endpoint = endpoints.get(datagram.to().getAddress());
            if (endpoint == null || blocked.test(datagram)) {
                dropped++;
                continue;
            }
            delivered++;
            endpoint.receive(datagram.from(), datagram.to(), datagram.bytes(), now);
        }
    }
}
