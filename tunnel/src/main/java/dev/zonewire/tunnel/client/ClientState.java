package dev.zonewire.tunnel.client;

import dev.zonewire.ippacket.IcmpMessage;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.PacketStatus;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.tunnel.SnownetTypes;
import dev.zonewire.tunnel.control.ControlCodec;
import dev.zonewire.tunnel.control.ControlEvent;
import dev.zonewire.tunnel.dns.ClientDns;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.dns.ProxyIps;
import dev.zonewire.tunnel.dns.SentinelPackets;
import dev.zonewire.tunnel.dns.StubResolver;
import dev.zonewire.tunnel.dns.UpstreamQuery;
import dev.zonewire.tunnel.dns.UpstreamRoute;
import dev.zonewire.tunnel.dns.tcp.TcpDnsClient;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.IpNetwork;
import dev.zonewire.tunnel.net.NetworkBits;
import dev.zonewire.wireguard.PublicKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The client, sans-IO (tunnel.md §3): a snownet node in the client role (one WireGuard connection per
 * gateway, keyed by gateway id) with Firezone's resource policy and the DNS stub resolver around it. The
 * driver feeds portal messages, packets from the TUN device, datagrams from the UDP sockets, answers of
 * upstream DNS servers and the time; it drains transmits, packets for the TUN device, portal messages,
 * events, DNS queries to forward through the host, and the next timeout.
 *
 * <p>Connections are made with the 1.4 flow: a packet for a resource without gateway sends
 * {@code create_flow} and waits (see {@link PendingFlows}); {@code flow_created} names the gateway, carries
 * the keys, and the waiting packets go. For a DNS resource the gateway must also map the name's proxy IPs
 * to real ones: the client asks with the p2p control protocol ({@code assigned_ips}) and its packets wait
 * for the answer (see {@link DnsResourceNat}). A gateway that answers a packet with "administratively
 * prohibited" (access expired or revoked) makes the client ask the portal for the flow again.
 *
 * <p>Buffers: a packet read from the TUN device sits at the buffer's position with {@link #TUN_HEADROOM}
 * free bytes before it and {@link #TUN_TAILROOM} after its limit; it is encrypted in place. Sending a
 * packet to a connected resource allocates nothing. Nothing from the network or the portal makes these
 * methods throw: bad input is dropped and counted.
 */
public final class ClientState {
    public static final int TUN_HEADROOM = Node.HEADROOM;
    public static final int TUN_TAILROOM = Node.TAILROOM;
    /** Outputs of each kind (TUN packets, datagrams, portal messages, events, host DNS queries) the driver has not polled; beyond this the oldest go. */
    static final int MAX_QUEUE = 4096;
    private static final NetworkBits SENTINELS_V4 = NetworkBits.of(AddressPlan.SENTINELS_V4);
    private static final NetworkBits SENTINELS_V6 = NetworkBits.of(AddressPlan.SENTINELS_V6);
    private static final NetworkBits PROXY_V4 = NetworkBits.of(AddressPlan.PROXY_V4);
    private static final NetworkBits PROXY_V6 = NetworkBits.of(AddressPlan.PROXY_V6);
    /** IGMP's 224.0.0.22 and the all-routers ff02::2, which operating systems send to every interface. */
    private static final long IGMP_V4 = 0xE000_0016L;
    private static final long ALL_ROUTERS_HIGH = 0xFF02_0000_0000_0000L;
    private static final int BUFFER_SIZE = Node.HEADROOM + Node.MAX_DATAGRAM_PAYLOAD + Node.TAILROOM;
    /** A DNS NAT refused this long after its flow was made means the gateway lost the resource, not the name. */
    static final long STALE_FLOW_NANOS = 5_000_000_000L;

    private final RandomGenerator random;
    private final Node<UUID, UUID> node;
    private final StubResolver resolver;
    private final ClientResources resources;
    private final ClientDns dns;
    private final SentinelPackets sentinels;
    private final TcpDnsClient tcpUpstream;
    private final PendingFlows flows = new PendingFlows();
    private final DnsResourceNat dnsNat = new DnsResourceNat();
    private final ProxyIpAllocator proxyIps;
    private final IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
    private final IpPacket ownPacket = new IpPacket(IpPacket.TUNNEL_MTU);
    /** For packets we route ourselves: waiting ones, DNS through the tunnel. */
    private final ByteBuffer ownBuffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final ByteBuffer controlBuffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<byte[]> tunPackets = new ArrayDeque<>();
    private final ArrayDeque<ClientOutbound> portalMessages = new ArrayDeque<>();
    private final ArrayDeque<ClientEvent> events = new ArrayDeque<>();
    private final ArrayDeque<UpstreamQuery> hostQueries = new ArrayDeque<>();
    private final long[] counters = new long[ClientCounter.values().length];
    private final long[] malformed = new long[PacketStatus.values().length];
    /** When each resource's current flow was created: a DNS NAT refused soon after means the gateway refuses the name. */
    private final Map<UUID, Long> flowCreatedAt = new HashMap<>();
    private Interface iface;
    /** The interface's addresses as packets compare them (null before the first {@code init}). */
    private IpAddress tunnelIpv4;
    private IpAddress tunnelIpv6;
    private List<InetAddress> systemResolvers = List.of();
    private TunConfig tunConfig;
    /** The UDP port our own DNS queries through the tunnel leave from; new after every reset. */
    private int dnsSourcePort;

    /**
     * @param random    keys, ICE credentials, DNS ids and ports: a {@link java.security.SecureRandom} outside tests
     * @param wallClock the current wall-clock time, for WireGuard handshake timestamps
     * @param nowNanos  the monotonic time at the same moment
     */
    public ClientState(RandomGenerator random, Instant wallClock, long nowNanos) {
        this(random, wallClock, nowNanos, Map.of());
    }

    /** With a static table of known hosts (names to addresses the stub resolver answers itself); empty in production. */
    public ClientState(RandomGenerator random, Instant wallClock, long nowNanos, Map<String, List<InetAddress>> knownHosts) {
        this(random, wallClock, nowNanos, knownHosts, new ProxyIpAllocator());
    }

    ClientState(RandomGenerator random, Instant wallClock, long nowNanos, Map<String, List<InetAddress>> knownHosts,
            ProxyIpAllocator proxyIps) {
        this.random = random;
        this.proxyIps = proxyIps;
        this.node = new Node<>(NodeRole.CLIENT, random, wallClock, nowNanos);
        this.resolver = new StubResolver(proxyIps, knownHosts);
        this.resources = new ClientResources(resolver);
        this.dns = new ClientDns(resolver, random, resources::routedThroughTunnel);
        this.sentinels = new SentinelPackets(dns, random);
        this.tcpUpstream = new TcpDnsClient(random, ClientDns.MAX_PENDING);
        this.dnsSourcePort = randomPort();
    }

    /** Our WireGuard public key, which the portal hands to gateways. Changes with {@link #reset}. */
    public PublicKey publicKey() {
        return node.publicKey();
    }

    /** A local address (IP and port) of one of our UDP sockets: a host candidate for connections. */
    public void addLocalAddress(InetSocketAddress address, long nowNanos) {
        node.addLocalAddress(address, nowNanos);
        drainNode();
    }

    // Portal and platform.

    /** A message of topic {@code client}; {@code disconnect} is the driver's to act on and is ignored here. */
    public void handlePortalMessage(ClientInbound message, long nowNanos) {
        try {
            switch (message) {
                case ClientInbound.Init init -> {
                    setInterface(init.iface());
                    resources.setResources(init.resources());
                    node.updateRelays(List.of(), SnownetTypes.relays(init.relays()), nowNanos);
                    updateDns(nowNanos);
                }
                case ClientInbound.ConfigChanged changed -> {
                    setInterface(changed.iface());
                    updateDns(nowNanos);
                }
                case ClientInbound.ResourceCreatedOrUpdated update -> resources.add(update.resource());
                case ClientInbound.ResourceDeleted deleted -> {
                    resources.remove(deleted.resourceId());
                    flowCreatedAt.remove(deleted.resourceId());
                    flows.forget(deleted.resourceId());
                    dnsNat.forgetResource(deleted.resourceId());
                }
                case ClientInbound.RelaysPresence presence ->
                        node.updateRelays(presence.disconnectedIds(), SnownetTypes.relays(presence.connected()), nowNanos);
                case ClientInbound.IceCandidates candidates ->
                        candidates.candidates().forEach(candidate -> node.addRemoteCandidate(candidates.gatewayId(), candidate, nowNanos));
                case ClientInbound.InvalidateIceCandidates candidates ->
                        candidates.candidates().forEach(candidate -> node.removeRemoteCandidate(candidates.gatewayId(), candidate, nowNanos));
                case ClientInbound.FlowCreated created -> flowCreated(created, nowNanos);
                case ClientInbound.FlowCreationFailed failed -> {
                    if ("offline".equals(failed.reason())) {
                        resources.setResourceOffline(failed.resourceId());
                    }
                    flows.forget(failed.resourceId());
                }
                case ClientInbound.Disconnect disconnect -> { }
            }
        } catch (IllegalArgumentException refused) {
            // Keys or credentials snownet cannot use: the flow is not made.
            increment(ClientCounter.PORTAL_MESSAGES_IGNORED);
        }
        drainNode();
        publishChanges();
    }

    /** The resolvers the operating system had before we pointed it at the sentinels (used when the portal names none). */
    public void updateSystemResolvers(List<InetAddress> resolvers, long nowNanos) {
        systemResolvers = List.copyOf(resolvers);
        updateDns(nowNanos);
        publishChanges();
    }

    /** The resources the user switched off (e.g. the Internet resource); the others are switched on again. */
    public void setDisabledResources(Set<UUID> disabled, long nowNanos) {
        resources.setDisabled(disabled);
        for (UUID id : disabled) {
            flows.forget(id);
            dnsNat.forgetResource(id);
        }
        publishChanges();
    }

    /**
     * After a network change (tunnel.md §3.10): every connection is closed and the node gets a new key (the
     * driver rebinds its sockets and joins the portal again with {@link #publicKey()}); waiting packets and
     * TCP DNS queries through the tunnel fail. Resources, DNS and proxy IPs stay.
     */
    public void reset(long nowNanos) {
        node.reset(nowNanos);
        drainNode();
        resources.reset();
        flowCreatedAt.clear();
        dnsNat.clear();
        flows.clear();
        tcpUpstream.reset(nowNanos);
        dnsSourcePort = randomPort();
        drainDns(nowNanos);
        publishChanges();
    }

    // Packets.

    /**
     * A packet read from the TUN device, framed by the buffer's position and limit. Returns where to send the
     * datagram the buffer now frames, or null when there is nothing to send now: the packet was DNS for the
     * stub resolver, waits for a flow or a DNS NAT, was queued by snownet, or was dropped and counted.
     */
    public Encapsulated.Send handleTunPacket(ByteBuffer buffer, long nowNanos) {
        PacketStatus status = packet.wrap(buffer, buffer.position(), buffer.remaining());
        if (!status.isValid()) {
            malformed[status.ordinal()]++;
            increment(ClientCounter.MALFORMED_PACKETS);
            return null;
        }
        int version = packet.version();
        long high = Addresses.destinationHigh(packet);
        long low = Addresses.destinationLow(packet);
        if ((SENTINELS_V4.contains(version, high, low) || SENTINELS_V6.contains(version, high, low)) && sentinels.handle(packet, nowNanos)) {
            drainDns(nowNanos);
            return null;
        }
        return route(buffer, packet, nowNanos);
    }

    /**
     * A datagram that arrived on our {@code local} address from {@code from}, framed by the buffer's position
     * and limit. Returns true when the buffer now frames an IP packet to write to the TUN device; everything
     * else (STUN, TURN, handshakes, control messages, DNS answers for ourselves, refused packets) is handled
     * or dropped here.
     */
    public boolean handleNetworkInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNanos) {
        Decapsulated<UUID> result = node.decapsulate(local, from, datagram, nowNanos);
        drainNode();
        return result instanceof Decapsulated.Packet<UUID>(UUID gateway) && handleGatewayPacket(gateway, datagram, nowNanos);
    }

    /** An IP packet {@code gateway}'s connection decrypted, framed by the buffer's position and limit (see {@link #handleNetworkInput}). */
    boolean handleGatewayPacket(UUID gateway, ByteBuffer datagram, long nowNanos) {
        PacketStatus status = packet.wrap(datagram, datagram.position(), datagram.remaining());
        if (!status.isValid()) {
            malformed[status.ordinal()]++;
            increment(ClientCounter.MALFORMED_PACKETS);
            return false;
        }
        if (packet.isP2pControl()) {
            handleControl(gateway, packet, nowNanos);
            return false;
        }
        if (!resources.isGatewayPeer(gateway)) {
            increment(ClientCounter.UNKNOWN_GATEWAY);
            return false;
        }
        if (!resources.sourceAllowed(gateway, packet.version(), Addresses.sourceHigh(packet), Addresses.sourceLow(packet))) {
            increment(ClientCounter.SOURCE_NOT_ALLOWED);
            return false;
        }
        if (!isToOurTunnelAddress(packet)) {
            // Written to the TUN device, it would be routed on from this host (e.g. into its LAN).
            increment(ClientCounter.DESTINATION_NOT_OURS);
            return false;
        }
        if (isAnswerToOwnUdpQuery(packet)) {
            byte[] answer = new byte[packet.udp().payloadLength()];
            datagram.get(packet.udp().payloadIndex(), answer);
            dns.handleUpstreamResponse(DnsTransport.UDP, new InetSocketAddress(Addresses.toInet(packet.source()), packet.udp().sourcePort()),
                    answer, nowNanos);
            drainDns(nowNanos);
            return false;
        }
        if (tcpUpstream.accepts(packet)) {
            tcpUpstream.handle(packet, nowNanos);
            drainDns(nowNanos);
            return false;
        }
        if (isProhibited(packet)) {
            flowRefused(gateway, packet, nowNanos);
        }
        if (isUnreachable(packet) && failOwnDnsQuery(packet, nowNanos)) {
            return false;
        }
        return true;
    }

    // DNS through the host.

    /** A query to forward through the host's own network (a socket that bypasses the tunnel), or null. */
    public UpstreamQuery pollUpstreamQuery() {
        return hostQueries.poll();
    }

    /** An upstream server's answer to an {@link UpstreamQuery}. */
    public void handleUpstreamResponse(DnsTransport transport, InetSocketAddress server, byte[] message, long nowNanos) {
        dns.handleUpstreamResponse(transport, server, message, nowNanos);
        drainDns(nowNanos);
    }

    /** The upstream server could not be asked (unreachable, refused, reset): the application gets SERVFAIL. */
    public void handleUpstreamFailure(DnsTransport transport, InetSocketAddress server, int id, long nowNanos) {
        dns.handleUpstreamFailure(transport, server, id, nowNanos);
        drainDns(nowNanos);
    }

    // Time.

    public void handleTimeout(long nowNanos) {
        node.handleTimeout(nowNanos);
        drainNode();
        dns.handleTimeout(nowNanos);
        sentinels.handleTimeout(nowNanos);
        tcpUpstream.handleTimeout(nowNanos);
        drainDns(nowNanos);
        flows.handleTimeout(nowNanos);
        for (DnsResourceNat.Request request : dnsNat.due(nowNanos)) {
            sendAssignedIps(request.gateway(), request.ips(), nowNanos);
        }
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        long next = Math.min(node.pollTimeout(), dns.pollTimeout());
        next = Math.min(next, Math.min(sentinels.pollTimeout(), tcpUpstream.pollTimeout()));
        return Math.min(next, Math.min(flows.pollTimeout(), dnsNat.pollTimeout()));
    }

    // Outputs.

    public Transmit pollTransmit() {
        Transmit own = transmits.poll();
        return own != null ? own : node.pollTransmit();
    }

    /** The next IP packet for the TUN device (DNS answers, TCP segments of the DNS server), or null. */
    public byte[] pollTunPacket() {
        return tunPackets.poll();
    }

    public ClientOutbound pollPortalMessage() {
        drainNode();
        return portalMessages.poll();
    }

    public ClientEvent pollEvent() {
        return events.poll();
    }

    // Diagnostics.

    public long count(ClientCounter counter) {
        return counters[counter.ordinal()];
    }

    /** Packets that did not parse, by reason. */
    public long malformed(PacketStatus status) {
        return malformed[status.ordinal()];
    }

    public ClientDns dns() {
        return dns;
    }

    public SentinelPackets sentinelPackets() {
        return sentinels;
    }

    public ClientResources resources() {
        return resources;
    }

    /** What snownet dropped, by reason. */
    public Map<dev.zonewire.snownet.DropReason, Long> transportDrops() {
        return node.drops();
    }

    /** Packets that waited for a flow or a DNS NAT in vain (overflow, refusal, timeout, network change). */
    public long waitingPacketsDropped() {
        return flows.dropped() + dnsNat.dropped();
    }

    /** The size of every table and queue that input can grow, by name: all are bounded. */
    public Map<String, Integer> tableSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("pendingFlows", flows.size());
        sizes.put("packetsAwaitingFlows", flows.bufferedPackets());
        sizes.put("dnsNatNames", dnsNat.size());
        sizes.put("packetsAwaitingDnsNat", dnsNat.bufferedPackets());
        sizes.put("forwardedDnsQueries", dns.pendingCount());
        sizes.put("tcpDnsServerConnections", sentinels.tcpServer().connectionCount());
        sizes.put("tcpDnsUpstreamQueries", tcpUpstream.inFlight());
        sizes.put("connections", node.connectionCount());
        sizes.put("gatewayPeers", resources.gatewayPeers().size());
        sizes.put("tunQueue", tunPackets.size());
        sizes.put("transmitQueue", transmits.size());
        sizes.put("hostDnsQueue", hostQueries.size());
        return sizes;
    }

    /** The TUN configuration last published, or null before the first {@code init}. */
    public TunConfig tunConfig() {
        return tunConfig;
    }

    // Routing.

    /** Sends a packet (framed in {@code buffer}, wrapped by {@code view}) to its resource's gateway, or makes it wait, or drops it. */
    private Encapsulated.Send route(ByteBuffer buffer, IpPacket view, long nowNanos) {
        int version = view.version();
        long high = Addresses.destinationHigh(view);
        long low = Addresses.destinationLow(view);
        if (version == 4 ? low == IGMP_V4 : high == ALL_ROUTERS_HIGH && low == 2) {
            increment(ClientCounter.MULTICAST_IGNORED);
            return null;
        }
        // Nothing is ever sent to the unspecified address; above all not the p2p control messages (from :: to ::), which
        // only we may send to a gateway, even through the Internet resource.
        UUID resource = high == 0 && low == 0 ? null : resources.resourceFor(version, high, low);
        if (resource == null) {
            increment(ClientCounter.NO_RESOURCE);
            return null;
        }
        UUID gateway = resources.gatewayOf(resource);
        if (!resources.isGatewayPeer(gateway)) {
            awaitFlow(resource, copy(view), nowNanos);
            return null;
        }
        if (PROXY_V4.contains(version, high, low) || PROXY_V6.contains(version, high, low)) {
            ProxyIps ips = resolver.proxyIpsOf(version, high, low);
            resolver.markUsed(version, high, low, nowNanos);
            DnsResourceNat.Status nat = dnsNat.status(gateway, ips.name());
            boolean pass = nat == DnsResourceNat.Status.ACTIVE
                    || nat == DnsResourceNat.Status.FAILED && !dnsNat.retryDue(gateway, ips.name(), nowNanos);
            if (!pass) {
                if (dnsNat.await(gateway, ips, copy(view), nowNanos)) {
                    sendAssignedIps(gateway, ips, nowNanos);
                }
                return null;
            }
        }
        Encapsulated result = node.encapsulate(gateway, buffer, nowNanos);
        drainNode();
        if (result instanceof Encapsulated.Send send) {
            return send;
        }
        if (result instanceof Encapsulated.Dropped) {
            increment(ClientCounter.NOT_SENT);
        }
        return null;
    }

    /** Routes a packet we made or kept like one read from the TUN device; a datagram it yields is queued. */
    private void routeOwn(byte[] bytes, long nowNanos) {
        ownBuffer.clear();
        ownBuffer.put(TUN_HEADROOM, bytes).limit(TUN_HEADROOM + bytes.length).position(TUN_HEADROOM);
        if (!ownPacket.wrap(ownBuffer, TUN_HEADROOM, bytes.length).isValid()) {
            return;
        }
        Encapsulated.Send send = route(ownBuffer, ownPacket, nowNanos);
        if (send != null) {
            queueTransmit(send, ownBuffer);
        }
    }

    private void awaitFlow(UUID resource, byte[] waiting, long nowNanos) {
        ClientOutbound.CreateFlow request = flows.await(resource, waiting, nowNanos);
        if (request != null) {
            enqueue(portalMessages, request);
        }
    }

    private void flowCreated(ClientInbound.FlowCreated created, long nowNanos) {
        UUID resourceId = created.resourceId();
        ClientResource resource = resources.get(resourceId);
        if (resource == null || !resources.isEnabled(resourceId)) {
            increment(ClientCounter.PORTAL_MESSAGES_IGNORED);
            flows.forget(resourceId);
            return;
        }
        UUID gateway = created.gatewayId();
        // An existing connection to the gateway keeps its keys: upsert leaves it alone when they match.
        node.upsertConnection(gateway, SnownetTypes.publicKey(created.gatewayPublicKey()), SnownetTypes.presharedKey(created.presharedKey()),
                SnownetTypes.iceCredentials(created.clientIceCredentials()), SnownetTypes.iceCredentials(created.gatewayIceCredentials()),
                nowNanos);
        List<IpNetwork> sources = switch (resource) {
            case ClientResource.Cidr cidr -> List.of(cidr.address());
            case ClientResource.Internet internet -> List.of(AddressPlan.DEFAULT_ROUTE_V4, AddressPlan.DEFAULT_ROUTE_V6);
            default -> List.of();
        };
        resources.mapToGateway(resourceId, gateway, created.siteId(), sources);
        flowCreatedAt.put(resourceId, nowNanos);
        // A new flow may follow a gateway that lost the resource: its DNS NAT must be asked for again.
        dnsNat.forgetResource(resourceId);
        flows.connectedTo(gateway);
        List<byte[]> waiting = flows.take(resourceId);
        if (waiting != null) {
            waiting.forEach(bytes -> routeOwn(bytes, nowNanos));
        }
    }

    /** The gateway refused a packet with "administratively prohibited": its access is gone, so ask the portal again. */
    private void flowRefused(UUID gateway, IpPacket error, long nowNanos) {
        IcmpMessage icmp = error.icmp();
        if (!icmp.parseQuotedPacket().isValid()) {
            return;
        }
        IpPacket quoted = icmp.quotedPacket();
        int version = quoted.version();
        long high = Addresses.destinationHigh(quoted);
        long low = Addresses.destinationLow(quoted);
        // The gateway refuses from the refused destination itself; any other sender (a host or router in a resource's
        // network) must not make us drop the flow of another resource.
        if (version != error.version() || high != Addresses.sourceHigh(error) || low != Addresses.sourceLow(error)) {
            return;
        }
        UUID resource = resources.resourceFor(version, high, low);
        if (resource == null || !gateway.equals(resources.gatewayOf(resource))) {
            return;
        }
        increment(ClientCounter.FLOWS_REFUSED_BY_GATEWAY);
        resources.unmap(resource);
        dnsNat.forgetResource(resource);
        awaitFlow(resource, null, nowNanos);
    }

    private void sendAssignedIps(UUID gateway, ProxyIps ips, long nowNanos) {
        resources.addAllowedIps(gateway, ips.resourceId(), ips.all().stream().map(IpNetwork::host).toList());
        byte[] payload = ControlCodec.encode(new ControlEvent.AssignedIps(ips.resourceId(), ips.name(), ips.all()));
        ByteBuffer body = ByteBuffer.wrap(payload, ControlCodec.HEADER_LENGTH, payload.length - ControlCodec.HEADER_LENGTH);
        controlBuffer.clear();
        int length = PacketBuilder.p2pControl(controlBuffer, TUN_HEADROOM, ControlCodec.ASSIGNED_IPS, body);
        controlBuffer.limit(TUN_HEADROOM + length).position(TUN_HEADROOM);
        if (node.encapsulate(gateway, controlBuffer, nowNanos) instanceof Encapsulated.Send send) {
            queueTransmit(send, controlBuffer);
        }
        drainNode();
    }

    private void handleControl(UUID gateway, IpPacket control, long nowNanos) {
        byte[] payload = new byte[control.payloadLength()];
        control.buffer().get(control.payloadIndex(), payload);
        if (!(ControlCodec.decode(payload) instanceof Decoded.Message<ControlEvent>(ControlEvent.DomainStatus status))) {
            increment(ClientCounter.CONTROL_IGNORED);
            return;
        }
        boolean active = status.status() == ControlEvent.NatStatus.ACTIVE;
        UUID resource = dnsNat.resourceOf(gateway, status.domain());
        Long flowCreated = resource == null ? null : flowCreatedAt.get(resource);
        if (!active && flowCreated != null && nowNanos - flowCreated >= STALE_FLOW_NANOS) {
            // A gateway that refuses a name of a flow it granted a while ago lost the resource (expired or revoked): ask
            // the portal again; the waiting packets wait for the new flow.
            List<byte[]> waiting = dnsNat.takeWaiting(gateway, status.domain());
            increment(ClientCounter.FLOWS_REFUSED_BY_GATEWAY);
            resources.unmap(resource);
            dnsNat.forgetResource(resource);
            flowCreatedAt.remove(resource);
            awaitFlow(resource, null, nowNanos);
            waiting.forEach(bytes -> awaitFlow(resource, bytes, nowNanos));
            return;
        }
        dnsNat.onStatus(gateway, status.domain(), active, nowNanos).forEach(bytes -> routeOwn(bytes, nowNanos));
    }

    // DNS.

    private void updateDns(long nowNanos) {
        if (iface == null) {
            return;
        }
        List<InetSocketAddress> portalUpstreams = iface.upstreamDns().stream().map(DnsServer::address).toList();
        if (dns.updateUpstreams(portalUpstreams, systemResolvers)) {
            sentinels.sentinelsChanged(nowNanos);
        }
    }

    /** Moves DNS work along until nothing is left: forwarded queries, TCP answers and segments, answers for applications. */
    private void drainDns(long nowNanos) {
        // A name whose proxy IPs went to another name: its NAT on the gateways is asked for again if it comes back.
        for (String name = proxyIps.pollRecycled(); name != null; name = proxyIps.pollRecycled()) {
            dnsNat.forgetName(name);
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (UpstreamQuery query = dns.pollUpstreamQuery(); query != null; query = dns.pollUpstreamQuery()) {
                progress = true;
                forward(query, nowNanos);
            }
            for (TcpDnsClient.Result result = tcpUpstream.pollResult(); result != null; result = tcpUpstream.pollResult()) {
                progress = true;
                if (result.failed()) {
                    dns.handleUpstreamFailure(DnsTransport.TCP, result.server(), result.id(), nowNanos);
                } else {
                    dns.handleUpstreamResponse(DnsTransport.TCP, result.server(), result.response(), nowNanos);
                }
            }
            for (byte[] segment = tcpUpstream.pollPacket(); segment != null; segment = tcpUpstream.pollPacket()) {
                progress = true;
                routeOwn(segment, nowNanos);
            }
            for (byte[] answer = sentinels.pollPacket(nowNanos); answer != null; answer = sentinels.pollPacket(nowNanos)) {
                progress = true;
                queueTun(answer);
            }
        }
    }

    /** A query the stub resolver could not answer: through the host, or through the tunnel from our tunnel address. */
    private void forward(UpstreamQuery query, long nowNanos) {
        if (query.route() == UpstreamRoute.HOST || iface == null) {
            enqueue(hostQueries, query);
            return;
        }
        InetSocketAddress server = query.server();
        IpAddress source = Addresses.of(Addresses.version(server.getAddress()) == 4 ? iface.ipv4() : iface.ipv6());
        if (query.transport() == DnsTransport.TCP) {
            tcpUpstream.query(source, server, query.id(), query.message(), nowNanos);
            return;
        }
        ByteBuffer datagram = ByteBuffer.allocate((source.version() == 4 ? 20 : 40) + 8 + query.message().length);
        PacketBuilder.udp(datagram, 0, source, Addresses.of(server.getAddress()), dnsSourcePort, server.getPort(),
                ByteBuffer.wrap(query.message()));
        routeOwn(datagram.array(), nowNanos);
    }

    /**
     * An ICMP unreachable about a DNS query we forwarded through the tunnel (e.g. the gateway's filters refuse
     * it): the query fails at once, so the application gets SERVFAIL instead of waiting. Returns whether it was ours.
     */
    private boolean failOwnDnsQuery(IpPacket error, long nowNanos) {
        IcmpMessage icmp = error.icmp();
        if (iface == null || !icmp.parseQuotedPacket().isValid()) {
            return false;
        }
        IpPacket quoted = icmp.quotedPacket();
        if (!quoted.sourceEquals(quoted.isIpv4() ? tunnelIpv4 : tunnelIpv6)) {
            return false;
        }
        if (quoted.isTcp()) {
            boolean ours = tcpUpstream.unreachable(quoted, nowNanos);
            drainDns(nowNanos);
            return ours;
        }
        // A quote may end right after the UDP header (RFC 792 asks for only 8 bytes): the query id must be inside it.
        boolean idQuoted = quoted.isUdp() && quoted.udp().payloadIndex() + 2 <= error.offset() + error.length();
        if (!idQuoted || quoted.udp().sourcePort() != dnsSourcePort || quoted.udp().payloadLength() < 2) {
            return false;
        }
        int id = quoted.buffer().getShort(quoted.udp().payloadIndex()) & 0xFFFF;
        InetSocketAddress server = new InetSocketAddress(Addresses.toInet(quoted.destination()), quoted.udp().destinationPort());
        dns.handleUpstreamFailure(DnsTransport.UDP, server, id, nowNanos);
        drainDns(nowNanos);
        return true;
    }

    /** A UDP packet to our DNS port at our tunnel address from a server we asked. */
    private boolean isAnswerToOwnUdpQuery(IpPacket candidate) {
        if (!candidate.isUdp() || candidate.udp().destinationPort() != dnsSourcePort || iface == null) {
            return false;
        }
        return candidate.destinationEquals(candidate.isIpv4() ? tunnelIpv4 : tunnelIpv6) && dns.awaitsAnswerFrom(DnsTransport.UDP,
                new InetSocketAddress(Addresses.toInet(candidate.source()), candidate.udp().sourcePort()));
    }

    // Helpers.

    private void setInterface(Interface update) {
        iface = update;
        tunnelIpv4 = Addresses.of(update.ipv4());
        tunnelIpv6 = Addresses.of(update.ipv6());
    }

    private boolean isToOurTunnelAddress(IpPacket candidate) {
        return tunnelIpv4 != null && (candidate.destinationEquals(tunnelIpv4) || candidate.destinationEquals(tunnelIpv6));
    }

    private void drainNode() {
        for (NodeEvent<UUID> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            switch (event) {
                case NodeEvent.NewIceCandidate<UUID> added ->
                        enqueue(portalMessages, new ClientOutbound.BroadcastIceCandidates(List.of(added.connection()), List.of(added.candidate())));
                case NodeEvent.InvalidateIceCandidate<UUID> removed -> enqueue(portalMessages,
                        new ClientOutbound.BroadcastInvalidatedIceCandidates(List.of(removed.connection()), List.of(removed.candidate())));
                case NodeEvent.ConnectionEstablished<UUID> established -> resources.onGatewayConnected(established.connection());
                case NodeEvent.ConnectionFailed<UUID> failed -> forgetUnlessReplaced(failed.connection());
                case NodeEvent.ConnectionClosed<UUID> closed -> forgetUnlessReplaced(closed.connection());
            }
        }
    }

    private void forgetUnlessReplaced(UUID gateway) {
        if (!node.connectionIds().contains(gateway)) {
            resources.onGatewayDisconnected(gateway);
            dnsNat.forgetGateway(gateway);
        }
    }

    /** Publishes the newest resource list and TUN configuration when they changed; older unread ones are replaced. */
    private void publishChanges() {
        if (resources.pollResourcesChanged()) {
            events.removeIf(ClientEvent.ResourcesChanged.class::isInstance);
            enqueue(events, new ClientEvent.ResourcesChanged(resources.views()));
        }
        if (iface == null) {
            return;
        }
        TunConfig config = new TunConfig(iface.ipv4(), iface.ipv6(), dns.sentinels().mapping(), resources.routes());
        if (!config.equals(tunConfig)) {
            tunConfig = config;
            events.removeIf(ClientEvent.TunInterfaceUpdated.class::isInstance);
            enqueue(events, new ClientEvent.TunInterfaceUpdated(config));
        }
    }

    private static boolean isProhibited(IpPacket candidate) {
        if (candidate.isIcmpv4()) {
            IcmpMessage icmp = candidate.icmpv4();
            return icmp.type() == 3 && (icmp.code() == 9 || icmp.code() == 10 || icmp.code() == 13);
        }
        return candidate.isIcmpv6() && candidate.icmpv6().type() == 1 && candidate.icmpv6().code() == 1;
    }

    private static boolean isUnreachable(IpPacket candidate) {
        return candidate.isIcmpv4() && candidate.icmpv4().type() == 3 || candidate.isIcmpv6() && candidate.icmpv6().type() == 1;
    }

    private void queueTransmit(Encapsulated.Send send, ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(datagram.position(), bytes);
        enqueue(transmits, new Transmit(send.source(), send.destination(), bytes));
    }

    private void queueTun(byte[] bytes) {
        enqueue(tunPackets, bytes);
    }

    /** Every output waits in a queue of at most {@link #MAX_QUEUE} until the driver polls it; beyond that the oldest goes. */
    private <T> void enqueue(ArrayDeque<T> queue, T output) {
        if (queue.size() >= MAX_QUEUE) {
            queue.poll();
            increment(ClientCounter.OUTPUT_QUEUE_FULL);
        }
        queue.add(output);
    }

    private static byte[] copy(IpPacket view) {
        byte[] bytes = new byte[view.length()];
        view.buffer().get(view.offset(), bytes);
        return bytes;
    }

    private int randomPort() {
        return TcpDnsClient.LOWEST_PORT + random.nextInt(TcpDnsClient.HIGHEST_PORT - TcpDnsClient.LOWEST_PORT + 1);
    }

    private void increment(ClientCounter counter) {
        counters[counter.ordinal()]++;
    }
}
