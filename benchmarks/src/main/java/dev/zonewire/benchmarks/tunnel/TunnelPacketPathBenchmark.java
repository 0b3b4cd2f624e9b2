package dev.zonewire.benchmarks.tunnel;

import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.tunnel.client.ClientResources;
import dev.zonewire.tunnel.client.ClientState;
import dev.zonewire.tunnel.gateway.GatewayPackets;
import dev.zonewire.tunnel.gateway.GatewayState;
import dev.zonewire.tunnel.net.Addresses;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The tunnel's per-packet work on a 1240-byte TCP packet, to a CIDR resource or to a DNS resource's proxy IP
 * (NAT at the gateway), between a client and a gateway connected in memory ({@link ConnectedPair}):
 * <ul>
 *   <li>{@code clientLookup}: the client's policy, resource and gateway lookup for the destination;</li>
 *   <li>{@code clientSend}: a packet from the TUN device to a datagram for the UDP socket (lookup, DNS NAT
 *       state, snownet's encryption);</li>
 *   <li>{@code gatewayFilterAndNat}: the gateway's policy on a decrypted packet (source check, filters, NAT
 *       rewrite) and on its reply (reverse NAT);</li>
 *   <li>{@code clientToGateway}: {@code clientSend} then the gateway's decryption and policy, up to the packet
 *       it writes to its TUN device.</li>
 * </ul>
 * Run: see docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TunnelPacketPathBenchmark {

    @Param({"cidr", "dns"})
    public String resource;

    private ConnectedPair pair;
    private ClientResources clientResources;
    private GatewayPackets gatewayPackets;
    private byte[] request;
    private ByteBuffer requestBuffer;
    private byte[] reply;
    private final ByteBuffer tunBuffer = ByteBuffer.allocateDirect(ClientState.TUN_HEADROOM + IpPacket.TUNNEL_MTU + ClientState.TUN_TAILROOM);
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(GatewayState.NETWORK_HEADROOM + IpPacket.TUNNEL_MTU + 64);
    private final ByteBuffer plain = ByteBuffer.allocateDirect(GatewayState.NETWORK_HEADROOM + IpPacket.TUNNEL_MTU);
    private final ByteBuffer answers = ByteBuffer.allocate(IpPacket.TUNNEL_MTU);
    private final IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);

    @Setup(Level.Trial)
    public void connect() {
        pair = new ConnectedPair();
        clientResources = pair.client.resources();
        gatewayPackets = new GatewayPackets(pair.gateway.access());
        String destination = resource.equals("dns") ? pair.proxyIp.toString() : "10.0.9.9";
        request = ConnectedPair.packet("100.64.0.1", 40000, destination, 80);
        requestBuffer = ByteBuffer.wrap(request);
        reply = ConnectedPair.packet(resource.equals("dns") ? ConnectedPair.REAL_IP : destination, 80, "100.64.0.1", 40000);
    }

    @Benchmark
    public UUID clientLookup() {
        packet.wrap(requestBuffer, 0, request.length);
        UUID found = clientResources.resourceFor(packet.version(), Addresses.destinationHigh(packet), Addresses.destinationLow(packet));
        UUID gateway = clientResources.gatewayOf(found);
        if (!clientResources.isGatewayPeer(gateway)) {
            throw new IllegalStateException("the packet's resource has no connected gateway");
        }
        return gateway;
    }

    @Benchmark
    public Encapsulated.Send clientSend() {
        return send();
    }

    @Benchmark
    public GatewayPackets.Outcome gatewayFilterAndNat() {
        plain.clear();
        plain.put(GatewayState.NETWORK_HEADROOM, request);
        packet.wrap(plain, GatewayState.NETWORK_HEADROOM, request.length);
        GatewayPackets.Outcome outbound = gatewayPackets.outbound(ConnectedPair.CLIENT_ID, packet, pair.now, answers, 0).outcome();
        plain.put(GatewayState.NETWORK_HEADROOM, reply);
        packet.wrap(plain, GatewayState.NETWORK_HEADROOM, reply.length);
        if (outbound != GatewayPackets.Outcome.FORWARD || gatewayPackets.inbound(packet, pair.now) == null) {
            throw new IllegalStateException("the gateway did not forward the request and its reply");
        }
        return outbound;
    }

    @Benchmark
    public boolean clientToGateway() {
        send();
        datagram.clear();
        datagram.put(GatewayState.NETWORK_HEADROOM, tunBuffer, tunBuffer.position(), tunBuffer.remaining());
        datagram.limit(GatewayState.NETWORK_HEADROOM + tunBuffer.remaining()).position(GatewayState.NETWORK_HEADROOM);
        if (!pair.gateway.handleNetworkInput(ConnectedPair.GATEWAY_HOST, ConnectedPair.CLIENT_HOST, datagram, pair.now)) {
            throw new IllegalStateException("the gateway did not take the packet for its TUN device");
        }
        return true;
    }

    private Encapsulated.Send send() {
        tunBuffer.clear();
        tunBuffer.put(ClientState.TUN_HEADROOM, request).limit(ClientState.TUN_HEADROOM + request.length).position(ClientState.TUN_HEADROOM);
        Encapsulated.Send send = pair.client.handleTunPacket(tunBuffer, pair.now);
        if (send == null) {
            throw new IllegalStateException("the packet was not sent at once");
        }
        return send;
    }
}
