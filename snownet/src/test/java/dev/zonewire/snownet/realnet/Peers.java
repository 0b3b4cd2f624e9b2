package dev.zonewire.snownet.realnet;

import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.TunDevice;
import dev.zonewire.platform.linux.TunOptions;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.PeerPath;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.wireguard.PresharedKey;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A client and a gateway node in their namespaces, each with a UDP socket and a TUN device
 * (100.64.0.1 and 100.64.0.2), and a "portal" thread carrying their candidates to each other.
 * The client's first IP packet for the gateway starts the flow, as in connlib.
 */
final class Peers implements AutoCloseable {
    static final String TUN = "zw-snw-tun";
    static final String CLIENT_TUNNEL_IP = "100.64.0.1";
    static final String GATEWAY_TUNNEL_IP = "100.64.0.2";
    static final String CLIENT_CONNECTION = "gateway";
    static final String GATEWAY_CONNECTION = "client";

    final NodeDriver client;
    final NodeDriver gateway;
    private final Thread portal;
    private volatile boolean running = true;
    private final SecureRandom random = new SecureRandom();

    Peers(Topology topology) throws IOException {
        client = driver(topology, Topology.CLIENT, "client", NodeRole.CLIENT, Topology.CLIENT_IP, CLIENT_TUNNEL_IP, GATEWAY_TUNNEL_IP);
        try {
            gateway = driver(topology, Topology.GATEWAY, "gateway", NodeRole.GATEWAY, Topology.GATEWAY_IP, GATEWAY_TUNNEL_IP,
                    CLIENT_TUNNEL_IP);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        portal = Thread.ofPlatform().name("zw-snw-portal").start(this::carrySignalling);
    }

    private static NodeDriver driver(Topology topology, String namespace, String name, NodeRole role, String hostIp,
                                     String tunnelIp, String peerTunnelIp) throws IOException {
        NodeDriver driver = NetworkNamespace.call(namespace, () -> {
            UdpSocket socket = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(InetAddress.ofLiteral(hostIp), 0))
                    .withBufferSizes(4 << 20, 4 << 20));
            TunDevice tun = TunDevice.open(TunOptions.named(TUN));
            return new NodeDriver(name, role, socket, tun);
        });
        topology.ns(namespace, "ip", "addr", "add", tunnelIp + "/32", "dev", TUN).check();
        topology.ns(namespace, "ip", "link", "set", TUN, "mtu", "1280", "up").check();
        topology.ns(namespace, "ip", "route", "add", peerTunnelIp + "/32", "dev", TUN).check();
        return driver;
    }

    /** Both nodes learn the relays and get their allocations. */
    void useRelays(List<Relay<String>> relays) throws InterruptedException {
        for (NodeDriver node : List.of(client, gateway)) {
            node.withNode(n -> {
                n.updateRelays(List.of(), relays, System.nanoTime());
                return null;
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready = List.of(client, gateway).stream().allMatch(node ->
                    node.withNode(n -> n.relays().size() == relays.size()));
            if (ready) {
                Thread.sleep(300);
                return;
            }
            Thread.sleep(20);
        }
    }

    /** The portal authorizes a flow; returns the instant (System.nanoTime) it did. */
    long authorizeFlow() {
        PresharedKey psk = PresharedKey.generate(random);
        IceCredentials clientCredentials = IceCredentials.random(random);
        IceCredentials gatewayCredentials = IceCredentials.random(random);
        var clientKey = client.withNode(n -> n.publicKey());
        var gatewayKey = gateway.withNode(n -> n.publicKey());
        client.establishedAt = 0;
        gateway.establishedAt = 0;
        long at = System.nanoTime();
        gateway.withNode(n -> {
            n.upsertConnection(GATEWAY_CONNECTION, clientKey, psk, gatewayCredentials, clientCredentials, System.nanoTime());
            return null;
        });
        client.withNode(n -> {
            n.upsertConnection(CLIENT_CONNECTION, gatewayKey, psk, clientCredentials, gatewayCredentials, System.nanoTime());
            return null;
        });
        gateway.route = GATEWAY_CONNECTION;
        client.route = CLIENT_CONNECTION;
        return at;
    }

    /** Waits for the client's ConnectionEstablished; returns when it came (System.nanoTime), or 0. */
    long awaitEstablished(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (client.establishedAt == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return client.establishedAt;
    }

    Optional<PeerPath<String>> clientPath() {
        return client.withNode(n -> n.path(CLIENT_CONNECTION));
    }

    void closeConnections() {
        client.withNode(n -> {
            n.removeConnection(CLIENT_CONNECTION, System.nanoTime());
            return null;
        });
        gateway.withNode(n -> {
            n.removeConnection(GATEWAY_CONNECTION, System.nanoTime());
            return null;
        });
    }

    private void carrySignalling() {
        while (running) {
            try {
                forward(client.events.poll(1, TimeUnit.MILLISECONDS), gateway, GATEWAY_CONNECTION);
                forward(gateway.events.poll(), client, CLIENT_CONNECTION);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void forward(NodeEvent<String> event, NodeDriver to, String connection) {
        switch (event) {
            case null -> { }
            case NodeEvent.NewIceCandidate<String> added -> to.withNode(n -> n.addRemoteCandidate(connection, added.candidate(), System.nanoTime()));
            case NodeEvent.InvalidateIceCandidate<String> removed ->
                    to.withNode(n -> n.removeRemoteCandidate(connection, removed.candidate(), System.nanoTime()));
            default -> { }
        }
    }

    @Override
    public void close() {
        running = false;
        portal.interrupt();
        try {
            portal.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        gateway.close();
    }
}
