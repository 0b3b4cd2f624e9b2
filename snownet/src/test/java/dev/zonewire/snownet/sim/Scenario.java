package dev.zonewire.snownet.sim;

import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.PeerPath;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.wireguard.PresharedKey;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A whole deterministic world: a client and a gateway, each behind its own kind of NAT (or none),
 * TURN relays, the simulated internet between them, and a portal that carries signalling with a
 * delay. One thread, a virtual clock, a seeded random source: a seed reproduces a run exactly.
 *
 * <p>Addresses follow ../shared/spec/system-tests.md section 5.3: the WAN is 198.51.100.0/24
 * (client NAT .2, gateway NAT .3, relays .101 and .201), the client LAN 10.0.1.0/24 and the
 * site LAN 10.0.2.0/24.
 */
final class Scenario {
    static final long START = 1_000_000_000L;
    static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");
    static final String CLIENT_CONNECTION = "gateway";
    static final String GATEWAY_CONNECTION = "client";

    final SplittableRandom random;
    final SimNetwork network;
    final List<SimRelay> relays = new ArrayList<>();
    final SimNode client;
    final SimNode gateway;
    long now = START;
    IceCredentials lastClientCredentials;
    IceCredentials lastGatewayCredentials;
    long signallingDelayNanos = Duration.ofMillis(30).toNanos();
    private final PriorityQueue<Signal> signals = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long signalOrder;
    private int clientPort = 40000;

    private record Signal(long at, long order, Runnable action) {
    }

    /**
     * @param clientNat  null for a client on the WAN itself
     * @param gatewayNat null for a gateway on the WAN itself
     */
    Scenario(long seed, Nat.Kind clientNat, Nat.Kind gatewayNat, int relayCount) {
        random = new SplittableRandom(seed);
        network = new SimNetwork(random.split());
        for (int i = 0; i < relayCount; i++) {
            relays.add(new SimRelay("relay-" + (i + 1), ipv4("198.51.100." + (i == 0 ? 101 : 201)), network,
                    random.split(), WALL_CLOCK, START));
        }
        client = new SimNode("client", NodeRole.CLIENT,
                new InetSocketAddress(clientNat == null ? ipv4("198.51.100.2") : ipv4("10.0.1.100"), clientPort),
                network, random.split(), WALL_CLOCK, START);
        client.behind(clientNat, ipv4("198.51.100.2"));
        gateway = new SimNode("gateway", NodeRole.GATEWAY,
                new InetSocketAddress(gatewayNat == null ? ipv4("198.51.100.3") : ipv4("10.0.2.105"), 52625),
                network, random.split(), WALL_CLOCK, START);
        gateway.behind(gatewayNat, ipv4("198.51.100.3"));
        client.signalling = event -> relaySignal(event, gateway, GATEWAY_CONNECTION);
        gateway.signalling = event -> relaySignal(event, client, CLIENT_CONNECTION);
    }

    /** Both nodes learn every relay, as the portal's {@code init} would tell them. */
    Scenario withRelays() {
        for (SimNode node : List.of(client, gateway)) {
            List<Relay<String>> credentials = relays.stream().map(relay -> relay.credentialsFor(random)).toList();
            node.node.updateRelays(List.of(), credentials, now);
            node.flush(now);
        }
        return this;
    }

    /** The portal authorizes a flow: both sides get each other's key, the preshared key and both ICE credentials. */
    void authorizeFlow() {
        PresharedKey psk = PresharedKey.generate(random);
        IceCredentials clientCredentials = IceCredentials.random(random);
        IceCredentials gatewayCredentials = IceCredentials.random(random);
        lastClientCredentials = clientCredentials;
        lastGatewayCredentials = gatewayCredentials;
        client.node.upsertConnection(CLIENT_CONNECTION, gateway.node.publicKey(), psk, clientCredentials,
                gatewayCredentials, now);
        gateway.node.upsertConnection(GATEWAY_CONNECTION, client.node.publicKey(), psk, gatewayCredentials,
                clientCredentials, now);
        client.flush(now);
        gateway.flush(now);
    }

    private void relaySignal(NodeEvent<String> event, SimNode to, String connection) {
        Runnable action = switch (event) {
            case NodeEvent.NewIceCandidate<String> added -> () -> to.node.addRemoteCandidate(connection, added.candidate(), now);
            case NodeEvent.InvalidateIceCandidate<String> removed -> () -> to.node.removeRemoteCandidate(connection, removed.candidate(), now);
            default -> null;
        };
        if (action != null) {
            signals.add(new Signal(now + signallingDelayNanos, signalOrder++, () -> {
                action.run();
                to.flush(now);
            }));
        }
    }

    // ---- Running -------------------------------------------------------------------------------

    /** Runs until {@code done} holds or {@code limit} of virtual time passed; returns whether it held. */
    boolean runUntil(BooleanSupplier done, Duration limit) {
        long deadline = now + limit.toNanos();
        int busy = 0;
        while (!done.getAsBoolean()) {
            long next = nextWakeUp();
            if (next > deadline) {
                now = deadline;
                return false;
            }
            busy = next <= now ? busy + 1 : 0;
            if (busy > 100_000) {
                throw new AssertionError("the simulation makes no progress at " + now);
            }
            now = Math.max(now, next);
            step();
        }
        return true;
    }

    void run(Duration duration) {
        runUntil(() -> false, duration);
    }

    private long nextWakeUp() {
        long next = Math.min(network.nextArrival(), signals.isEmpty() ? Long.MAX_VALUE : signals.peek().at);
        next = Math.min(next, Math.min(client.node.pollTimeout(), gateway.node.pollTimeout()));
        for (SimRelay relay : relays) {
            next = Math.min(next, relay.pollTimeout());
        }
        return next;
    }

    private void step() {
        network.deliverDue(now);
        while (!signals.isEmpty() && signals.peek().at <= now) {
            signals.poll().action.run();
        }
        if (client.node.pollTimeout() <= now) {
            client.handleTimeout(now);
        }
        if (gateway.node.pollTimeout() <= now) {
            gateway.handleTimeout(now);
        }
        for (SimRelay relay : relays) {
            if (relay.pollTimeout() <= now) {
                relay.handleTimeout(now);
            }
        }
    }

    // ---- Helpers for tests ---------------------------------------------------------------------

    boolean clientEstablished() {
        return !client.eventsOf(NodeEvent.ConnectionEstablished.class).isEmpty();
    }

    /**
     * The gateway, the WireGuard responder, counts as established once the client's first packet
     * on the new session arrives: normally the keepalive the client sends right after the handshake.
     */
    boolean bothEstablished() {
        return !client.eventsOf(NodeEvent.ConnectionEstablished.class).isEmpty()
                && !gateway.eventsOf(NodeEvent.ConnectionEstablished.class).isEmpty();
    }

    /** Sends {@code count} pings, one every {@code interval}, and lets the last one come back. */
    int pingRoundTrips(int count, Duration interval) {
        int before = client.echoRepliesReceived.size();
        for (int i = 0; i < count; i++) {
            client.ping(CLIENT_CONNECTION, nextSequence++, now);
            run(interval);
        }
        run(Duration.ofSeconds(1));
        return client.echoRepliesReceived.size() - before;
    }

    int nextSequence = 1;

    PeerPath<String> clientPath() {
        return client.node.path(CLIENT_CONNECTION).orElse(null);
    }

    /** The relay whose address the established path goes through, from either side's view. */
    SimRelay relayInUse() {
        PeerPath<String> path = clientPath();
        if (path == null) {
            return null;
        }
        if (path.relay() != null) {
            return relays.stream().filter(relay -> relay.id.equals(path.relay())).findFirst().orElseThrow();
        }
        return relays.stream().filter(relay -> relay.listen.getAddress().equals(path.remote().getAddress()))
                .findFirst().orElse(null);
    }

    /** The client's socket moves to a new port, as the driver rebinds after a network change. */
    void rebindClientSocket() {
        clientPort++;
        client.host = new InetSocketAddress(client.host.getAddress(), clientPort);
        if (client.nat == null) {
            network.attach(client.host.getAddress(), client);
        }
        client.node.addLocalAddress(client.host, now);
    }

    static Inet4Address ipv4(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }
}
