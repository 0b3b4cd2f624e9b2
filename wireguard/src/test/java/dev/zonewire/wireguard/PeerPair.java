package dev.zonewire.wireguard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Two sans-IO tunnels, Alice and Bob, configured as each other's peer on a simulated network with a
 * virtual clock. Datagrams are delivered in order and at once unless a test holds them back, loses
 * them or reorders them; IP packets that come out of a tunnel are collected per side.
 */
final class PeerPair {
    static final Instant WALL_CLOCK_AT_START = Instant.parse("2025-06-01T12:00:00Z");
    static final long START = 7_000_000_000L;
    static final InetSocketAddress ALICE_ADDRESS = address(10, 0, 0, 1, 51820);
    static final InetSocketAddress BOB_ADDRESS = address(10, 0, 0, 2, 51821);

    /** A datagram on the simulated wire, and when it was sent. */
    record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long sentAt) {
        int type() {
            return bytes.length >= 4 ? Messages.getInt(bytes, 0) : 0;
        }
    }

    final WireGuardTunnel alice;
    final WireGuardTunnel bob;
    /** Bob as Alice knows him, and Alice as Bob knows her. */
    final WireGuardPeer bobAtAlice;
    final WireGuardPeer aliceAtBob;
    final List<Datagram> inFlight = new ArrayList<>();
    final List<Datagram> sent = new ArrayList<>();
    final List<byte[]> receivedByAlice = new ArrayList<>();
    final List<byte[]> receivedByBob = new ArrayList<>();
    final List<WireGuardEvent> aliceEvents = new ArrayList<>();
    final List<WireGuardEvent> bobEvents = new ArrayList<>();
    /** Datagrams matching this never arrive. */
    Predicate<Datagram> lose = datagram -> false;
    /** While true, datagrams stay in {@link #inFlight} until a test delivers them. */
    boolean holdDatagrams;
    long now = START;

    private PeerPair(WireGuardTunnel alice, WireGuardTunnel bob, WireGuardPeer bobAtAlice, WireGuardPeer aliceAtBob) {
        this.alice = alice;
        this.bob = bob;
        this.bobAtAlice = bobAtAlice;
        this.aliceAtBob = aliceAtBob;
    }

    static PeerPair create(long seed) {
        return builder(seed).build();
    }

    static Builder builder(long seed) {
        return new Builder(seed);
    }

    static final class Builder {
        private final SplittableRandom random;
        private PresharedKey alicePsk = PresharedKey.NONE;
        private PresharedKey bobPsk = PresharedKey.NONE;
        private TunnelSettings aliceSettings = TunnelSettings.DEFAULTS;
        private TunnelSettings bobSettings = TunnelSettings.DEFAULTS;
        private Duration aliceKeepalive = Duration.ZERO;
        private boolean bobKnowsAliceEndpoint = true;

        private Builder(long seed) {
            this.random = new SplittableRandom(seed);
        }

        Builder presharedKeys(PresharedKey atAlice, PresharedKey atBob) {
            this.alicePsk = atAlice;
            this.bobPsk = atBob;
            return this;
        }

        Builder bobSettings(TunnelSettings settings) {
            this.bobSettings = settings;
            return this;
        }

        Builder aliceSettings(TunnelSettings settings) {
            this.aliceSettings = settings;
            return this;
        }

        Builder alicePersistentKeepalive(Duration interval) {
            this.aliceKeepalive = interval;
            return this;
        }

        /** Like a client behind NAT: Bob learns Alice's endpoint only from her first message. */
        Builder bobLearnsAliceEndpoint() {
            this.bobKnowsAliceEndpoint = false;
            return this;
        }

        PeerPair build() {
            PrivateKey aliceKey = PrivateKey.generate(random);
            PrivateKey bobKey = PrivateKey.generate(random);
            WireGuardTunnel alice = new WireGuardTunnel(aliceKey, aliceSettings, random.split(), WALL_CLOCK_AT_START, START);
            WireGuardTunnel bob = new WireGuardTunnel(bobKey, bobSettings, random.split(), WALL_CLOCK_AT_START, START);
            WireGuardPeer aliceAtBob = bob.addPeer(new PeerConfig(aliceKey.publicKey(), bobPsk,
                    bobKnowsAliceEndpoint ? ALICE_ADDRESS : null, null), START);
            WireGuardPeer bobAtAlice = alice.addPeer(new PeerConfig(bobKey.publicKey(), alicePsk, BOB_ADDRESS,
                    aliceKeepalive), START);
            PeerPair pair = new PeerPair(alice, bob, bobAtAlice, aliceAtBob);
            pair.collectOutput();
            return pair;
        }
    }

    // ---- Sending -------------------------------------------------------------------------------

    /**
     * Alice sends an IP packet to Bob through her TUN device; returns whether it was sealed at once
     * (else it waits for a handshake). Either way the result is in flight until delivered.
     */
    boolean aliceSends(byte[] ipPacket) {
        return send(alice, bobAtAlice, ALICE_ADDRESS, ipPacket);
    }

    boolean bobSends(byte[] ipPacket) {
        return send(bob, aliceAtBob, BOB_ADDRESS, ipPacket);
    }

    private boolean send(WireGuardTunnel tunnel, WireGuardPeer peer, InetSocketAddress from, byte[] ipPacket) {
        ByteBuffer buffer = ByteBuffer.allocate(WireGuardTunnel.HEADROOM + ipPacket.length + WireGuardTunnel.TAILROOM);
        buffer.position(WireGuardTunnel.HEADROOM).put(ipPacket).flip().position(WireGuardTunnel.HEADROOM);
        boolean sealed = tunnel.encapsulate(peer, buffer, now);
        if (sealed) {
            post(new Datagram(from, peer.endpoint(), Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit()), now));
        }
        collectOutput();
        return sealed;
    }

    // ---- The network ---------------------------------------------------------------------------

    /** Delivers everything in flight, and everything that produces, until the network is quiet. */
    void deliverAll() {
        collectOutput();
        while (!inFlight.isEmpty()) {
            deliver(inFlight.removeFirst());
        }
    }

    void deliver(Datagram datagram) {
        WireGuardTunnel receiver = datagram.to().equals(ALICE_ADDRESS) ? alice : bob;
        ByteBuffer buffer = ByteBuffer.wrap(datagram.bytes().clone());
        WireGuardPeer sender = receiver.decapsulate(buffer, datagram.from(), now);
        if (sender != null) {
            byte[] packet = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
            (receiver == alice ? receivedByAlice : receivedByBob).add(packet);
        }
        collectOutput();
    }

    /** Moves the clock to {@code target}, firing every timer on the way and delivering what they send. */
    void advanceTo(long target) {
        while (true) {
            if (!holdDatagrams) {
                deliverAll();
            }
            long next = Math.min(alice.pollTimeout(), bob.pollTimeout());
            if (next > target) {
                break;
            }
            now = Math.max(now, next);
            alice.handleTimeout(now);
            bob.handleTimeout(now);
            collectOutput();
        }
        now = target;
    }

    void advance(Duration duration) {
        advanceTo(now + duration.toNanos());
    }

    private void collectOutput() {
        drain(alice, ALICE_ADDRESS, aliceEvents);
        drain(bob, BOB_ADDRESS, bobEvents);
    }

    private void drain(WireGuardTunnel tunnel, InetSocketAddress from, List<WireGuardEvent> events) {
        for (Transmit transmit = tunnel.pollTransmit(); transmit != null; transmit = tunnel.pollTransmit()) {
            post(new Datagram(from, transmit.destination(), transmit.datagram(), now));
        }
        for (WireGuardEvent event = tunnel.pollEvent(); event != null; event = tunnel.pollEvent()) {
            events.add(event);
        }
    }

    private void post(Datagram datagram) {
        sent.add(datagram);
        if (!lose.test(datagram)) {
            inFlight.add(datagram);
        }
    }

    // ---- Queries -------------------------------------------------------------------------------

    List<Datagram> sentOfType(int type) {
        return sent.stream().filter(datagram -> datagram.type() == type).toList();
    }

    static long count(List<WireGuardEvent> events, Class<? extends WireGuardEvent> kind) {
        return events.stream().filter(kind::isInstance).count();
    }

    private static InetSocketAddress address(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
