package dev.zonewire.benchmarks.snownet;

import dev.zonewire.relay.Forward;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayServerConfig;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import dev.zonewire.wireguard.PresharedKey;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client and a gateway node with one relay between them on an instant in-memory network, taken
 * to an established connection. With {@code relayed} the direct path is blocked, so the connection
 * goes through the relay (the relay module's sans-IO server).
 */
final class NodePair {
    static final InetSocketAddress CLIENT = address("198.51.100.2", 40000);
    static final InetSocketAddress GATEWAY = address("198.51.100.3", 52625);
    static final InetSocketAddress RELAY = address("198.51.100.101", 3478);

    final Node<String, String> client;
    final Node<String, String> gateway;
    final RelayServer relay;
    private final boolean relayed;
    private final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
    long now = 1_000_000_000L;

    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    NodePair(boolean relayed) {
        this.relayed = relayed;
        SplittableRandom random = new SplittableRandom(1);
        Instant wallClock = Instant.now();
        relay = new RelayServer(RelayServerConfig.of((Inet4Address) RELAY.getAddress(), null), StampSecret.generate(random), random);
        client = new Node<>(NodeRole.CLIENT, random.split(), wallClock, now);
        gateway = new Node<>(NodeRole.GATEWAY, random.split(), wallClock, now);
        client.addLocalAddress(CLIENT, now);
        gateway.addLocalAddress(GATEWAY, now);
        for (Node<String, String> node : List.of(client, gateway)) {
            RelayCredentials.Issued issued = RelayCredentials.issue(relay.stampSecret(), wallClock.plusSeconds(3600), random);
            node.updateRelays(List.of(), List.of(new Relay<>("relay", RelayAddresses.of(RELAY),
                    new TurnCredentials(issued.username().toString(), issued.password(), "firezone"))), now);
        }
        run(200);
        PresharedKey psk = PresharedKey.generate(random);
        IceCredentials clientCredentials = IceCredentials.random(random);
        IceCredentials gatewayCredentials = IceCredentials.random(random);
        client.upsertConnection("gateway", gateway.publicKey(), psk, clientCredentials, gatewayCredentials, now);
        gateway.upsertConnection("client", client.publicKey(), psk, gatewayCredentials, clientCredentials, now);
        run(3000);
        if (client.path("gateway").isEmpty() || client.path("gateway").get().isDirect() == relayed) {
            throw new IllegalStateException("the connection did not come up on the expected path: " + client.path("gateway"));
        }
    }

    /** Runs the world for {@code millis} of virtual time, a millisecond at a time. */
    void run(int millis) {
        for (int i = 0; i < millis; i++) {
            now += 1_000_000L;
            for (Node<String, String> node : List.of(client, gateway)) {
                if (node.pollTimeout() <= now) {
                    node.handleTimeout(now);
                }
            }
            if (relay.pollTimeout() <= now) {
                relay.handleTimeout(now);
            }
            flush();
        }
    }

    private void flush() {
        boolean progress = true;
        while (progress) {
            progress = false;
            progress |= drain(client, CLIENT, gateway, "client");
            progress |= drain(gateway, GATEWAY, client, "gateway");
            for (var transmit = relay.pollTransmit(); transmit != null; transmit = relay.pollTransmit()) {
                progress = true;
                inFlight.add(new Datagram(RELAY, transmit.destination(), transmit.payload()));
            }
            while (relay.pollEvent() != null) {
                progress = true;
            }
            while (!inFlight.isEmpty()) {
                progress = true;
                deliver(inFlight.poll());
            }
        }
    }

    private boolean drain(Node<String, String> node, InetSocketAddress self, Node<String, String> peer, String peerConnection) {
        boolean progress = false;
        for (Transmit transmit = node.pollTransmit(); transmit != null; transmit = node.pollTransmit()) {
            progress = true;
            inFlight.add(new Datagram(self, transmit.destination(), transmit.payload()));
        }
        for (NodeEvent<String> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            progress = true;
            if (event instanceof NodeEvent.NewIceCandidate<String> candidate) {
                peer.addRemoteCandidate(peerConnection, candidate.candidate(), now);
            }
        }
        return progress;
    }

    private void deliver(Datagram datagram) {
        boolean direct = !datagram.from().getAddress().equals(RELAY.getAddress()) && !datagram.to().getAddress().equals(RELAY.getAddress());
        if (relayed && direct) {
            return;
        }
        if (datagram.to().getAddress().equals(RELAY.getAddress())) {
            ByteBuffer buffer = ByteBuffer.wrap(datagram.bytes());
            Forward forward = datagram.to().getPort() == 3478
                    ? relay.handleClientInput(buffer, datagram.from(), now, System.currentTimeMillis())
                    : relay.handlePeerInput(buffer, datagram.from(), datagram.to().getPort(), now);
            if (forward != null) {
                byte[] payload = Arrays.copyOfRange(datagram.bytes(), forward.payloadOffset(),
                        forward.payloadOffset() + forward.payloadLength());
                if (forward.sourcePort() == 0) {
                    inFlight.add(new Datagram(RELAY, forward.destination(), ChannelData.encode(forward.channel(), payload, false)));
                } else {
                    inFlight.add(new Datagram(new InetSocketAddress(RELAY.getAddress(), forward.sourcePort()),
                            forward.destination(), payload));
                }
            }
            return;
        }
        Node<String, String> receiver = datagram.to().equals(CLIENT) ? client : gateway;
        InetSocketAddress local = receiver == client ? CLIENT : GATEWAY;
        Decapsulated<String> ignored = receiver.decapsulate(local, datagram.from(), ByteBuffer.wrap(datagram.bytes()), now);
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
