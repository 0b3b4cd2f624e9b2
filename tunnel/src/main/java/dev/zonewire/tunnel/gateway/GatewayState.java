package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.tunnel.SnownetTypes;
import dev.zonewire.tunnel.control.ControlCodec;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.GatewayResponse;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.wireguard.PublicKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The gateway, sans-IO (tunnel.md §4): a snownet node in the gateway role (one WireGuard connection per
 * client, keyed by client id) and the policy of {@link GatewayAccess} around it. The driver feeds portal
 * messages, datagrams from the UDP sockets, packets from the TUN device, name resolutions and the time,
 * and drains transmits, portal messages, resolutions to run, events and the next timeout.
 *
 * <p>Buffers: a packet read from the TUN device sits at the buffer's position with {@link #TUN_HEADROOM}
 * free bytes before it and {@link #TUN_TAILROOM} after its limit; a datagram from the network sits with
 * {@link #NETWORK_HEADROOM} free bytes before it. Both paths work in place and allocate nothing for an
 * ordinary packet. Nothing from the network or the portal makes these methods throw: bad input is dropped
 * and counted.
 */
public final class GatewayState {
    /** Room before a TUN packet: snownet's headers, and NAT46 growing a reply into IPv6. */
    public static final int TUN_HEADROOM = Node.HEADROOM + IpPacket.NAT46_HEADROOM;
    public static final int TUN_TAILROOM = Node.TAILROOM;
    /** Room before a received datagram, so that NAT46 can grow the decrypted packet in place. */
    public static final int NETWORK_HEADROOM = IpPacket.NAT46_HEADROOM;
    private static final int SCRATCH_OFFSET = Node.HEADROOM;
    /** Outputs of each kind (datagrams, portal messages, events) the driver has not polled; beyond this the oldest go. */
    static final int MAX_QUEUE = 4096;

    private final Node<UUID, UUID> node;
    private final RandomGenerator random;
    private final GatewayAccess access;
    private final GatewayPackets packets;
    private final IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
    private final ByteBuffer scratch = ByteBuffer.allocate(Node.HEADROOM + Node.MAX_DATAGRAM_PAYLOAD + Node.TAILROOM);
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<GatewayOutbound> portalMessages = new ArrayDeque<>();
    private final ArrayDeque<GatewayEvent> events = new ArrayDeque<>();
    private final long[] malformed = new long[PacketStatus.values().length];
    private final long[] counters = new long[GatewayStateCounter.values().length];

    /**
     * @param random    keys, ICE credentials, relay choice: a {@link java.security.SecureRandom} outside tests
     * @param wallClock the current wall-clock time, for WireGuard handshake timestamps
     * @param nowNanos  the monotonic time at the same moment
     */
    public GatewayState(RandomGenerator random, Instant wallClock, long nowNanos) {
        this.random = random;
        this.node = new Node<>(NodeRole.GATEWAY, random, wallClock, nowNanos);
        this.access = new GatewayAccess(nowNanos);
        this.packets = new GatewayPackets(access);
    }

    /** Our WireGuard public key, which the portal hands to clients. */
    public PublicKey publicKey() {
        return node.publicKey();
    }

    /** A local address (IP and port) of one of our UDP sockets: a host candidate for connections. */
    public void addLocalAddress(InetSocketAddress address, long nowNanos) {
        node.addLocalAddress(address, nowNanos);
        drainNode();
    }

    // Portal.

    /** A message of topic {@code gateway}; {@code disconnect} is the driver's to act on and is ignored here. */
    public void handlePortalMessage(GatewayInbound message, long nowNanos) {
        try {
            switch (message) {
                case GatewayInbound.Init init -> {
                    node.updateRelays(List.of(), SnownetTypes.relays(init.relays()), nowNanos);
                    enqueue(events, new GatewayEvent.TunInterfaceUpdated(init.iface().ipv4(), init.iface().ipv6(),
                            List.of(AddressPlan.PEERS_V4, AddressPlan.PEERS_V6)));
                }
                case GatewayInbound.RelaysPresence presence ->
                        node.updateRelays(presence.disconnectedIds(), SnownetTypes.relays(presence.connected()), nowNanos);
                case GatewayInbound.AuthorizeFlow flow -> authorizeFlow(flow, nowNanos);
                case GatewayInbound.RequestConnection request -> requestConnection(request, nowNanos);
                case GatewayInbound.AllowAccess allow -> access.allowAccess(allow, nowNanos);
                case GatewayInbound.RejectAccess reject -> access.rejectAccess(reject);
                case GatewayInbound.ResourceUpdated update -> access.resourceUpdated(update);
                case GatewayInbound.IceCandidates candidates ->
                        candidates.candidates().forEach(candidate -> node.addRemoteCandidate(candidates.clientId(), candidate, nowNanos));
                case GatewayInbound.InvalidateIceCandidates candidates ->
                        candidates.candidates().forEach(candidate -> node.removeRemoteCandidate(candidates.clientId(), candidate, nowNanos));
                case GatewayInbound.Disconnect disconnect -> { }
            }
        } catch (IllegalArgumentException refused) {
            // Keys or credentials snownet cannot use: nothing is granted and nothing is answered.
            counters[GatewayStateCounter.PORTAL_MESSAGES_REFUSED.ordinal()]++;
        }
        drainAccess(nowNanos);
        drainNode();
    }

    // Packets.

    /**
     * A datagram that arrived on our {@code local} address from {@code from}, framed by the buffer's
     * position and limit. Returns true when the buffer now frames an IP packet to write to the TUN device;
     * everything else (STUN, TURN, handshakes, control messages, denied packets) is handled or dropped here.
     */
    public boolean handleNetworkInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNanos) {
        Decapsulated<UUID> result = node.decapsulate(local, from, datagram, nowNanos);
        drainNode();
        return result instanceof Decapsulated.Packet<UUID>(UUID client) && handleClientPacket(client, datagram, nowNanos);
    }

    /** An IP packet {@code client}'s connection decrypted, framed by the buffer's position and limit (see {@link #handleNetworkInput}). */
    boolean handleClientPacket(UUID client, ByteBuffer datagram, long nowNanos) {
        PacketStatus status = packet.wrap(datagram, datagram.position(), datagram.remaining());
        if (!status.isValid()) {
            malformed[status.ordinal()]++;
            return false;
        }
        if (packet.isP2pControl()) {
            byte[] payload = new byte[packet.payloadLength()];
            datagram.get(packet.payloadIndex(), payload);
            access.handleControl(client, payload, nowNanos);
            drainAccess(nowNanos);
            return false;
        }
        GatewayPackets.Result verdict = packets.outbound(client, packet, nowNanos, scratch, SCRATCH_OFFSET);
        switch (verdict.outcome()) {
            case FORWARD -> {
                datagram.limit(packet.offset() + packet.length()).position(packet.offset());
                return true;
            }
            case ANSWER -> sendToClient(client, SCRATCH_OFFSET, verdict.answerLength(), nowNanos);
            case DROP -> { }
        }
        return false;
    }

    /**
     * A packet read from the TUN device, framed by the buffer's position and limit. Returns where to send
     * the datagram the buffer now frames, or null when there is nothing to send now (dropped and counted, or
     * queued until the client's connection is ready).
     */
    public Encapsulated.Send handleTunInput(ByteBuffer buffer, long nowNanos) {
        PacketStatus status = packet.wrap(buffer, buffer.position(), buffer.remaining());
        if (!status.isValid()) {
            malformed[status.ordinal()]++;
            return null;
        }
        UUID client = packets.inbound(packet, nowNanos);
        if (client == null) {
            return null;
        }
        buffer.limit(packet.offset() + packet.length()).position(packet.offset());
        Encapsulated result = node.encapsulate(client, buffer, nowNanos);
        drainNode();
        return result instanceof Encapsulated.Send send ? send : null;
    }

    // Name resolution.

    /** A name to resolve with the system resolver (both families, IPv6 first); answer with {@link #handleResolved}. */
    public GatewayAccess.Resolve pollResolve() {
        return access.pollResolve();
    }

    /** The answer to {@link GatewayAccess.Resolve#id()}; an empty list when resolution failed. */
    public void handleResolved(long id, List<InetAddress> addresses, long nowNanos) {
        access.handleResolved(id, addresses, nowNanos);
        drainAccess(nowNanos);
    }

    // Time.

    public void handleTimeout(long nowNanos, Instant utcNow) {
        node.handleTimeout(nowNanos);
        access.handleTimeout(nowNanos, utcNow);
        drainAccess(nowNanos);
        drainNode();
    }

    /** The next instant {@link #handleTimeout} has work. */
    public long pollTimeout() {
        return Math.min(node.pollTimeout(), access.pollTimeout());
    }

    // Outputs.

    public Transmit pollTransmit() {
        Transmit own = transmits.poll();
        return own != null ? own : node.pollTransmit();
    }

    public GatewayOutbound pollPortalMessage() {
        drainNode();
        return portalMessages.poll();
    }

    public GatewayEvent pollEvent() {
        return events.poll();
    }

    // Diagnostics.

    public GatewayAccess access() {
        return access;
    }

    /** Packets from clients or the TUN device that did not parse, by reason. */
    public long malformed(PacketStatus status) {
        return malformed[status.ordinal()];
    }

    public long count(GatewayStateCounter counter) {
        return counters[counter.ordinal()];
    }

    /** What snownet dropped, by reason. */
    public java.util.Map<dev.zonewire.snownet.DropReason, Long> transportDrops() {
        return node.drops();
    }

    public int connectionCount() {
        return node.connectionCount();
    }

    private void authorizeFlow(GatewayInbound.AuthorizeFlow flow, long nowNanos) {
        IceCredentials local = SnownetTypes.iceCredentials(flow.gatewayIceCredentials());
        IceCredentials remote = SnownetTypes.iceCredentials(flow.clientIceCredentials());
        node.upsertConnection(flow.client().id(), SnownetTypes.publicKey(flow.client().publicKey()),
                SnownetTypes.presharedKey(flow.client().presharedKey()), local, remote, nowNanos);
        // The reply goes out before the candidates the new connection produces: the portal must know the
        // flow before it forwards them.
        enqueue(portalMessages, access.authorizeFlow(flow, nowNanos));
    }

    private void requestConnection(GatewayInbound.RequestConnection request, long nowNanos) {
        GatewayInbound.LegacyClient client = request.client();
        IceCredentials local = IceCredentials.random(random);
        node.upsertConnection(client.id(), SnownetTypes.publicKey(client.peer().publicKey()),
                SnownetTypes.presharedKey(client.peer().presharedKey()), local, SnownetTypes.iceCredentials(client.iceParameters()), nowNanos);
        access.requestConnection(request, nowNanos);
        enqueue(portalMessages, new GatewayOutbound.ConnectionReady(request.ref(),
                new GatewayResponse.ConnectionAccepted(SnownetTypes.iceCredentials(local))));
    }

    /** Sends the control replies {@link GatewayAccess} produced, each as a p2p-control packet through the client's tunnel. */
    private void drainAccess(long nowNanos) {
        for (GatewayAccess.ControlReply reply = access.pollControlReply(); reply != null; reply = access.pollControlReply()) {
            byte[] payload = reply.payload();
            ByteBuffer body = ByteBuffer.wrap(payload, ControlCodec.HEADER_LENGTH, payload.length - ControlCodec.HEADER_LENGTH);
            scratch.clear();
            int length = PacketBuilder.p2pControl(scratch, SCRATCH_OFFSET, payload[0] & 0xFF, body);
            sendToClient(reply.clientId(), SCRATCH_OFFSET, length, nowNanos);
        }
    }

    /** Encrypts the packet in {@link #scratch} for a client and queues the datagram. */
    private void sendToClient(UUID client, int offset, int length, long nowNanos) {
        scratch.limit(offset + length).position(offset);
        Encapsulated result = node.encapsulate(client, scratch, nowNanos);
        if (result instanceof Encapsulated.Send send) {
            byte[] datagram = new byte[scratch.remaining()];
            scratch.get(scratch.position(), datagram);
            enqueue(transmits, new Transmit(send.source(), send.destination(), datagram));
        }
        scratch.clear();
        drainNode();
    }

    /** Every output waits in a queue of at most {@link #MAX_QUEUE} until the driver polls it; beyond that the oldest goes. */
    private <T> void enqueue(ArrayDeque<T> queue, T output) {
        if (queue.size() >= MAX_QUEUE) {
            queue.poll();
            counters[GatewayStateCounter.OUTPUT_QUEUE_FULL.ordinal()]++;
        }
        queue.add(output);
    }

    private void drainNode() {
        for (NodeEvent<UUID> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            switch (event) {
                case NodeEvent.NewIceCandidate<UUID> added ->
                        enqueue(portalMessages, new GatewayOutbound.BroadcastIceCandidates(List.of(added.connection()), List.of(added.candidate())));
                case NodeEvent.InvalidateIceCandidate<UUID> removed -> enqueue(portalMessages,
                        new GatewayOutbound.BroadcastInvalidatedIceCandidates(List.of(removed.connection()), List.of(removed.candidate())));
                case NodeEvent.ConnectionEstablished<UUID> established -> { }
                case NodeEvent.ConnectionFailed<UUID> failed -> forgetUnlessReplaced(failed.connection());
                case NodeEvent.ConnectionClosed<UUID> closed -> forgetUnlessReplaced(closed.connection());
            }
        }
    }

    /** A connection that failed or closed takes its client's access with it, unless a newer connection for that client exists. */
    private void forgetUnlessReplaced(UUID client) {
        if (!node.connectionIds().contains(client)) {
            access.removeClient(client);
        }
    }
}
