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
public final class SimNetwork {

    /** Whoever owns a public IP address: a host, a NAT, a relay. */
    public interface Endpoint {
        void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now);
    }

    public record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    private record Scheduled(long at, long order, Datagram datagram) {
    }

    public final RandomGenerator random;
    private final Map<InetAddress, Endpoint> endpoints = new HashMap<>();
    private final PriorityQueue<Scheduled> inFlight = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    public long latencyNanos = 10_000_000L;
    public long jitterNanos;
    public double lossRate;
    /** Datagrams matching this vanish, e.g. everything to or from a relay that died. */
    public Predicate<Datagram> blocked = datagram -> false;
    public long delivered;
    public long dropped;

    public SimNetwork(RandomGenerator random) {
        this.random = random;
    }

    public void attach(InetAddress address, Endpoint endpoint) {
        endpoints.put(address, endpoint);
    }

    public void detach(InetAddress address) {
        endpoints.remove(address);
    }

    public void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        Datagram datagram = new Datagram(from, to, bytes.clone());
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        long jitter = jitterNanos > 0 ? random.nextLong(jitterNanos) : 0;
        inFlight.add(new Scheduled(now + latencyNanos + jitter, order++, datagram));
    }

    public long nextArrival() {
        Scheduled next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.at;
    }

    /** Delivers every datagram due by {@code now}. */
    public void deliverDue(long now) {
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
