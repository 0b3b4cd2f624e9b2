package dev.zonewire.snownet.sim;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.Transmit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A client or gateway host on the simulated network: a {@link Node} with one UDP socket (its host
 * address), possibly behind a {@link Nat}, and a tiny TUN side. The gateway answers every ICMP echo
 * request it receives through the tunnel, as the resource behind it would.
 */
final class SimNode implements SimNetwork.Endpoint {
    static final IpAddress CLIENT_TUNNEL_IP = IpAddress.parse("100.64.0.1");
    static final IpAddress GATEWAY_RESOURCE_IP = IpAddress.parse("172.20.0.100");

    final String name;
    final NodeRole role;
    Node<String, String> node;
    InetSocketAddress host;
    private final SimNetwork network;
    Nat nat;
    final List<NodeEvent<String>> events = new ArrayList<>();
    final List<Long> eventTimes = new ArrayList<>();
    /** Echo replies the client got, by sequence number. */
    final List<Integer> echoRepliesReceived = new ArrayList<>();
    final List<Long> echoReplyTimes = new ArrayList<>();
    Consumer<NodeEvent<String>> signalling = event -> { };
    private final ByteBuffer buffer = ByteBuffer.allocate(Node.HEADROOM + Node.MAX_DATAGRAM_PAYLOAD + Node.TAILROOM);

    SimNode(String name, NodeRole role, InetSocketAddress host, SimNetwork network, RandomGenerator random,
            Instant wallClock, long now) {
        this.name = name;
        this.role = role;
        this.host = host;
        this.network = network;
        this.node = new Node<>(role, random, wallClock, now);
        node.addLocalAddress(host, now);
    }

    /** Puts the host behind a NAT with this public address; otherwise it is reachable at its own. */
    void behind(Nat.Kind kind, InetAddress publicIp) {
        nat = kind == null ? null : new Nat(kind, publicIp, network, this);
        if (nat == null) {
            network.attach(host.getAddress(), this);
        }
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        if (!to.equals(host)) {
            return;
        }
        ByteBuffer datagram = ByteBuffer.wrap(bytes.clone());
        if (node.decapsulate(host, from, datagram, now) instanceof Decapsulated.Packet<String> packet) {
            onIpPacket(packet.connection(), datagram, now);
        }
        flush(now);
    }

    void handleTimeout(long now) {
        node.handleTimeout(now);
        flush(now);
    }

    /** Sends an ICMP echo request with this sequence number through the tunnel to the peer. */
    void ping(String connection, int sequence, long now) {
        ping(connection, sequence, 56, now);
    }

    /** A ping with {@code payloadLength} bytes of ICMP payload: an IPv4 packet 28 bytes longer. */
    void ping(String connection, int sequence, int payloadLength, long now) {
        buffer.clear();
        int length = PacketBuilder.icmpEchoRequest(buffer, Node.HEADROOM, CLIENT_TUNNEL_IP, GATEWAY_RESOURCE_IP, 7,
                sequence, ByteBuffer.wrap(new byte[payloadLength]));
        sendIp(connection, Node.HEADROOM, length, now);
    }

    private void sendIp(String connection, int offset, int length, long now) {
        buffer.limit(offset + length).position(offset);
        if (node.encapsulate(connection, buffer, now) instanceof Encapsulated.Send send) {
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(buffer.position(), datagram);
            transmit(send.source(), send.destination(), datagram, now);
        }
        flush(now);
    }

    private void onIpPacket(String connection, ByteBuffer datagram, long now) {
        IpPacket packet = new IpPacket();
        packet.wrap(datagram, datagram.position(), datagram.remaining());
        if (!packet.isIcmpv4()) {
            return;
        }
        int sequence = packet.icmpv4().sequence();
        if (packet.icmpv4().isEchoRequest() && role == NodeRole.GATEWAY) {
            buffer.clear();
            int length = PacketBuilder.icmpEchoReply(buffer, Node.HEADROOM, GATEWAY_RESOURCE_IP, CLIENT_TUNNEL_IP, 7,
                    sequence, ByteBuffer.wrap(new byte[56]));
            sendIp(connection, Node.HEADROOM, length, now);
        } else if (packet.icmpv4().isEchoReply()) {
            echoRepliesReceived.add(sequence);
            echoReplyTimes.add(now);
        }
    }

    void flush(long now) {
        for (Transmit transmit = node.pollTransmit(); transmit != null; transmit = node.pollTransmit()) {
            transmit(transmit.source(), transmit.destination(), transmit.payload(), now);
        }
        for (NodeEvent<String> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            events.add(event);
            eventTimes.add(now);
            signalling.accept(event);
        }
    }

    private void transmit(InetSocketAddress source, InetSocketAddress destination, byte[] payload, long now) {
        InetSocketAddress from = source == null ? host : source;
        if (nat != null) {
            nat.sendOut(from, destination, payload, now);
        } else {
            network.send(from, destination, payload, now);
        }
    }

    @SuppressWarnings("rawtypes")
    <T extends NodeEvent> List<T> eventsOf(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** When the first event of this kind came, or -1. */
    @SuppressWarnings("rawtypes")
    long firstEventTime(Class<? extends NodeEvent> kind) {
        for (int i = 0; i < events.size(); i++) {
            if (kind.isInstance(events.get(i))) {
                return eventTimes.get(i);
            }
        }
        return -1;
    }
}
