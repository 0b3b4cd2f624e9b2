package dev.zonewire.snownet.ice;

import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Two ICE agents on a simulated network with a virtual clock: "left" (controlling unless told
 * otherwise) and "right". Transmits are delivered in order after {@link #latencyNanos}, unless
 * {@link #lose} drops them; {@link #translate} can rewrite a sender's address, as a NAT would.
 */
final class AgentPair {
    static final long START = 1_000_000_000L;
    static final InetSocketAddress LEFT_HOST = address("10.0.0.1", 4000);
    static final InetSocketAddress RIGHT_HOST = address("10.0.0.2", 5000);
    static final IceCredentials LEFT_CREDENTIALS = IceCredentials.of("lEft", "leftpasswordleftpasswd");
    static final IceCredentials RIGHT_CREDENTIALS = IceCredentials.of("rIgh", "rightpasswordrightpass");

    /** A datagram on the simulated wire. */
    record Packet(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long arrivesAt) {
    }

    final IceAgent left;
    final IceAgent right;
    final List<IceEvent> leftEvents = new ArrayList<>();
    final List<IceEvent> rightEvents = new ArrayList<>();
    final List<Packet> sent = new ArrayList<>();
    final List<Packet> inFlight = new ArrayList<>();
    Predicate<Packet> lose = packet -> false;
    Function<InetSocketAddress, InetSocketAddress> translate = Function.identity();
    long latencyNanos = 10_000_000L;
    long now = START;
    /** Public address to private address, for answers coming back through {@link #translate}. */
    private final Map<InetSocketAddress, InetSocketAddress> natBindings = new HashMap<>();

    AgentPair(boolean leftControlling, boolean rightControlling, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        left = new IceAgent(leftControlling, LEFT_CREDENTIALS, RIGHT_CREDENTIALS, IceTimings.DEFAULT, random.split(), START);
        right = new IceAgent(rightControlling, RIGHT_CREDENTIALS, LEFT_CREDENTIALS, IceTimings.DEFAULT, random.split(), START);
    }

    static AgentPair controllingAndControlled() {
        return new AgentPair(true, false, 7);
    }

    /** Both agents know their host address and each other's. */
    AgentPair withHosts() {
        left.addLocalCandidate(Candidate.host(LEFT_HOST));
        right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        left.addRemoteCandidate(Candidate.host(RIGHT_HOST));
        right.addRemoteCandidate(Candidate.host(LEFT_HOST));
        return this;
    }

    void advanceTo(long target) {
        while (true) {
            drain();
            long next = Math.min(Math.min(left.pollTimeout(), right.pollTimeout()), nextArrival());
            if (next > target) {
                break;
            }
            now = Math.max(now, next);
            deliverArrived();
            left.handleTimeout(now);
            right.handleTimeout(now);
        }
        now = target;
        drain();
    }

    void advanceMillis(long millis) {
        advanceTo(now + millis * 1_000_000L);
    }

    boolean leftOwns(InetSocketAddress address) {
        return left.localCandidates().stream().anyMatch(c -> c.base().equals(address));
    }

    private long nextArrival() {
        return inFlight.stream().mapToLong(Packet::arrivesAt).min().orElse(Long.MAX_VALUE);
    }

    private void deliverArrived() {
        for (Packet packet : List.copyOf(inFlight)) {
            if (packet.arrivesAt() <= now) {
                inFlight.remove(packet);
                deliver(packet);
            }
        }
    }

    void deliver(Packet packet) {
        InetSocketAddress to = natBindings.getOrDefault(packet.to(), packet.to());
        IceAgent receiver = leftOwns(to) ? left : right;
        ReceivedStunMessage received = ((StunDecodeResult.Decoded) StunDecoder.decode(packet.bytes())).received();
        receiver.handleStun(received, packet.from(), to, now);
        drain();
    }

    void drain() {
        drain(left, leftEvents);
        drain(right, rightEvents);
    }

    private void drain(IceAgent agent, List<IceEvent> events) {
        for (IceTransmit transmit = agent.pollTransmit(); transmit != null; transmit = agent.pollTransmit()) {
            InetSocketAddress mapped = translate.apply(transmit.source());
            natBindings.put(mapped, transmit.source());
            Packet packet = new Packet(mapped, transmit.destination(), transmit.payload(), now + latencyNanos);
            sent.add(packet);
            if (!lose.test(packet)) {
                inFlight.add(packet);
            }
        }
        for (IceEvent event = agent.pollEvent(); event != null; event = agent.pollEvent()) {
            events.add(event);
        }
    }

    static <T extends IceEvent> List<T> eventsOf(List<IceEvent> events, Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
