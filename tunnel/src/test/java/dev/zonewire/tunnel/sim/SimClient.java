package dev.zonewire.tunnel.sim;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.snownet.sim.Nat;
import dev.zonewire.snownet.sim.SimNetwork;
import dev.zonewire.tunnel.client.ClientEvent;
import dev.zonewire.tunnel.client.ClientState;
import dev.zonewire.tunnel.client.TunConfig;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.dns.UpstreamQuery;
import dev.zonewire.tunnel.dns.tcp.TcpDnsClient;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.ClientOutbound;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * The client host: its {@link ClientState}, one UDP socket (maybe behind a NAT), the host's resolver for
 * DNS forwarded outside the tunnel, and on the TUN side the application that sends probes and DNS queries
 * (UDP, and TCP through a {@link TcpDnsClient} of its own) and records what comes back.
 */
final class SimClient implements SimNetwork.Endpoint {
    private static final long HOST_DNS_DELAY_NANOS = 20_000_000L;

    final ClientState state;
    private final World world;
    private final Nat nat;
    private final InetAddress hostIp;
    private InetSocketAddress host;
    final TcpDnsClient appTcpDns;
    TunConfig tunConfig;

    SimClient(World world, InetSocketAddress host, Nat.Kind natKind, InetAddress publicIp, RandomGenerator random) {
        this.world = world;
        this.host = host;
        this.hostIp = host.getAddress();
        this.state = new ClientState(random, World.WALL_CLOCK, world.now);
        this.appTcpDns = new TcpDnsClient(random, 100);
        this.nat = natKind == null ? null : new Nat(natKind, publicIp, world.network, this);
        if (nat == null) {
            world.network.attach(hostIp, this);
        }
        state.addLocalAddress(host, world.now);
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        if (!to.equals(host)) {
            return;
        }
        ByteBuffer datagram = ByteBuffer.wrap(bytes.clone());
        if (state.handleNetworkInput(host, from, datagram, now)) {
            byte[] packet = new byte[datagram.remaining()];
            datagram.get(datagram.position(), packet);
            toApp(packet);
        }
        flush();
    }

    /** A packet the application writes to the TUN device. */
    void fromApp(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.allocate(ClientState.TUN_HEADROOM + packet.length + ClientState.TUN_TAILROOM);
        buffer.put(ClientState.TUN_HEADROOM, packet).limit(ClientState.TUN_HEADROOM + packet.length).position(ClientState.TUN_HEADROOM);
        Encapsulated.Send send = state.handleTunPacket(buffer, world.now);
        if (send != null) {
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(buffer.position(), datagram);
            transmit(send.source(), send.destination(), datagram);
        }
        flush();
    }

    /** A DNS query from the application to a sentinel: UDP from {@code sourcePort}, or TCP. */
    void queryDns(byte[] query, int id, InetSocketAddress sentinel, DnsTransport transport, int sourcePort) {
        IpAddress source = sourceFor(sentinel.getAddress());
        if (transport == DnsTransport.TCP) {
            appTcpDns.query(source, sentinel, id, query, world.now);
            drainAppTcp();
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(60 + 8 + query.length);
        int length = PacketBuilder.udp(buffer, 0, source, IpAddress.of(sentinel.getAddress()), sourcePort, sentinel.getPort(),
                ByteBuffer.wrap(query));
        fromApp(java.util.Arrays.copyOf(buffer.array(), length));
    }

    void portalMessage(ClientInbound message) {
        state.handlePortalMessage(message, world.now);
        flush();
    }

    void handleTimeout() {
        state.handleTimeout(world.now);
        appTcpDns.handleTimeout(world.now);
        drainAppTcp();
        flush();
    }

    long pollTimeout() {
        return Math.min(state.pollTimeout(), appTcpDns.pollTimeout());
    }

    /** A network change: the state resets and the socket moves to a new port; the portal sends init again. */
    void reset() {
        state.reset(world.now);
        host = new InetSocketAddress(hostIp, host.getPort() + 1);
        state.addLocalAddress(host, world.now);
        flush();
    }

    void flush() {
        for (Transmit transmit = state.pollTransmit(); transmit != null; transmit = state.pollTransmit()) {
            transmit(transmit.source(), transmit.destination(), transmit.payload());
        }
        for (byte[] packet = state.pollTunPacket(); packet != null; packet = state.pollTunPacket()) {
            toApp(packet);
        }
        for (ClientOutbound message = state.pollPortalMessage(); message != null; message = state.pollPortalMessage()) {
            world.portal.fromClient(message);
        }
        for (ClientEvent event = state.pollEvent(); event != null; event = state.pollEvent()) {
            if (event instanceof ClientEvent.TunInterfaceUpdated updated) {
                tunConfig = updated.config();
            }
        }
        for (UpstreamQuery next = state.pollUpstreamQuery(); next != null; next = state.pollUpstreamQuery()) {
            UpstreamQuery query = next;
            world.schedule(world.now + HOST_DNS_DELAY_NANOS, () -> {
                byte[] answer = world.records.answer(query.message());
                state.handleUpstreamResponse(query.transport(), query.server(), answer, world.now);
                flush();
            });
        }
    }

    private IpAddress sourceFor(InetAddress destination) {
        return IpAddress.of(destination instanceof java.net.Inet4Address ? World.CLIENT_TUNNEL_V4 : World.CLIENT_TUNNEL_V6);
    }

    /** A packet the TUN device gives the application. */
    private void toApp(byte[] bytes) {
        IpPacket packet = World.parse(bytes);
        if (packet == null) {
            world.violation("the client wrote an unparsable packet to its TUN device");
            return;
        }
        if (appTcpDns.accepts(packet)) {
            appTcpDns.handle(packet, world.now);
            drainAppTcp();
            return;
        }
        world.delivered(packet);
    }

    private void drainAppTcp() {
        for (byte[] segment = appTcpDns.pollPacket(); segment != null; segment = appTcpDns.pollPacket()) {
            fromApp(segment);
        }
        for (TcpDnsClient.Result result = appTcpDns.pollResult(); result != null; result = appTcpDns.pollResult()) {
            world.tcpDnsAnswered(result);
        }
    }

    private void transmit(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
        InetSocketAddress from = source == null ? host : source;
        if (nat != null) {
            nat.sendOut(from, destination, payload, world.now);
        } else {
            world.network.send(from, destination, payload, world.now);
        }
    }
}
