package dev.zonewire.tunnel.sim;

import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Transmit;
import dev.zonewire.snownet.sim.Nat;
import dev.zonewire.snownet.sim.SimNetwork;
import dev.zonewire.tunnel.gateway.GatewayAccess;
import dev.zonewire.tunnel.gateway.GatewayState;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** A gateway host on the simulated network: its {@link GatewayState}, one UDP socket (maybe behind a NAT) and its site's network on the TUN side. */
final class SimGateway implements SimNetwork.Endpoint {
    private static final long RESOLUTION_DELAY_NANOS = 10_000_000L;

    final UUID id;
    final UUID site;
    final GatewayState state;
    private final World world;
    private final InetSocketAddress host;
    private final Nat nat;

    SimGateway(World world, UUID id, UUID site, InetSocketAddress host, Nat.Kind natKind, InetAddress publicIp, RandomGenerator random) {
        this.world = world;
        this.id = id;
        this.site = site;
        this.host = host;
        this.state = new GatewayState(random, World.WALL_CLOCK, world.now);
        this.nat = natKind == null ? null : new Nat(natKind, publicIp, world.network, this);
        if (nat == null) {
            world.network.attach(host.getAddress(), this);
        }
        state.addLocalAddress(host, world.now);
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        if (!to.equals(host)) {
            return;
        }
        ByteBuffer datagram = ByteBuffer.allocate(GatewayState.NETWORK_HEADROOM + bytes.length);
        datagram.put(GatewayState.NETWORK_HEADROOM, bytes).position(GatewayState.NETWORK_HEADROOM);
        if (state.handleNetworkInput(host, from, datagram, now)) {
            byte[] packet = new byte[datagram.remaining()];
            datagram.get(datagram.position(), packet);
            world.site(site).fromGateway(this, packet);
        }
        flush();
    }

    /** A packet from the site's network towards a client. */
    void fromSite(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.allocate(GatewayState.TUN_HEADROOM + packet.length + GatewayState.TUN_TAILROOM);
        buffer.put(GatewayState.TUN_HEADROOM, packet).limit(GatewayState.TUN_HEADROOM + packet.length).position(GatewayState.TUN_HEADROOM);
        Encapsulated.Send send = state.handleTunInput(buffer, world.now);
        if (send != null) {
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(buffer.position(), datagram);
            transmit(send.source(), send.destination(), datagram);
        }
        flush();
    }

    void portalMessage(GatewayInbound message) {
        state.handlePortalMessage(message, world.now);
        flush();
    }

    void handleTimeout() {
        state.handleTimeout(world.now, world.utc());
        flush();
    }

    void flush() {
        for (Transmit transmit = state.pollTransmit(); transmit != null; transmit = state.pollTransmit()) {
            transmit(transmit.source(), transmit.destination(), transmit.payload());
        }
        for (GatewayOutbound message = state.pollPortalMessage(); message != null; message = state.pollPortalMessage()) {
            world.portal.fromGateway(id, message);
        }
        for (GatewayAccess.Resolve next = state.pollResolve(); next != null; next = state.pollResolve()) {
            GatewayAccess.Resolve resolve = next;
            world.schedule(world.now + RESOLUTION_DELAY_NANOS, () -> {
                state.handleResolved(resolve.id(), world.records.resolve(resolve.name()), world.now);
                flush();
            });
        }
        while (state.pollEvent() != null) {
            // The TUN addresses and routes need no action in the simulation.
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
