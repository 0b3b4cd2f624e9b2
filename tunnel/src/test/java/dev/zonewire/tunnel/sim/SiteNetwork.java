package dev.zonewire.tunnel.sim;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.TcpHeader;
import dev.zonewire.tunnel.dns.DnsQuery;
import dev.zonewire.tunnel.dns.tcp.TcpDnsServer;
import dev.zonewire.tunnel.net.Addresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The network behind a site's gateways: every host answers what reaches it, as the reference's simulation
 * does (an echo request gets its reply, UDP and TCP the same packet with addresses and ports swapped), and
 * a DNS server (UDP and TCP) may listen on one address for queries the client forwards through the tunnel.
 * Every packet that arrives is recorded for the invariants.
 */
final class SiteNetwork {
    final UUID site;
    private final World world;
    private final InetSocketAddress dnsServer;
    private final TcpDnsServer tcpDns;
    private SimGateway lastGateway;

    SiteNetwork(World world, UUID site, InetSocketAddress dnsServer, RandomGenerator random) {
        this.world = world;
        this.site = site;
        this.dnsServer = dnsServer;
        this.tcpDns = new TcpDnsServer(random);
        if (dnsServer != null) {
            tcpDns.setListenAddresses(Set.of(dnsServer), world.now);
        }
    }

    /** A packet a gateway wrote to its TUN device; the answers go back through the same gateway. */
    void fromGateway(SimGateway gateway, byte[] bytes) {
        lastGateway = gateway;
        IpPacket packet = World.parse(bytes);
        if (packet == null) {
            world.violation("a gateway wrote an unparsable packet to its TUN device");
            return;
        }
        if (dnsServer != null && packet.destinationEquals(Addresses.of(dnsServer.getAddress())) && (packet.isUdp() || packet.isTcp())
                && packet.destinationPort() == dnsServer.getPort()) {
            serveDns(gateway, packet);
            return;
        }
        long id = Probe.idOf(packet);
        int sourcePort = packet.isTcp() || packet.isUdp() || packet.flowProtocol() == dev.zonewire.ippacket.FlowProtocol.ICMP_ECHO
                ? packet.sourcePort() : -1;
        int destinationPort = sourcePort < 0 ? -1 : packet.destinationPort();
        world.arrived(new Arrival(gateway.id, site, packet.source(), packet.destination(), Probe.protocolOf(packet), sourcePort,
                destinationPort, id));
        byte[] reply = echo(packet);
        if (reply != null) {
            gateway.fromSite(reply);
        }
    }

    void handleTimeout(long now) {
        tcpDns.handleTimeout(now);
        drainTcp();
    }

    long pollTimeout() {
        return tcpDns.pollTimeout();
    }

    private void serveDns(SimGateway gateway, IpPacket packet) {
        if (packet.isUdp()) {
            byte[] query = new byte[packet.udp().payloadLength()];
            packet.buffer().get(packet.udp().payloadIndex(), query);
            byte[] answer = world.records.answer(query);
            if (answer != null) {
                ByteBuffer reply = ByteBuffer.allocate(60 + 8 + answer.length);
                int length = PacketBuilder.udp(reply, 0, packet.destination(), packet.source(), packet.udp().destinationPort(),
                        packet.udp().sourcePort(), ByteBuffer.wrap(answer));
                gateway.fromSite(java.util.Arrays.copyOf(reply.array(), length));
            }
            return;
        }
        if (tcpDns.accepts(packet)) {
            tcpDns.handle(packet, world.now);
            for (DnsQuery query = tcpDns.pollQuery(); query != null; query = tcpDns.pollQuery()) {
                byte[] answer = world.records.answer(query.message());
                if (answer != null) {
                    tcpDns.send(query.source(), query.destination(), answer, world.now);
                }
            }
            drainTcp();
        }
    }

    private void drainTcp() {
        List<byte[]> segments = new ArrayList<>();
        for (byte[] segment = tcpDns.pollPacket(); segment != null; segment = tcpDns.pollPacket()) {
            segments.add(segment);
        }
        if (lastGateway != null) {
            segments.forEach(lastGateway::fromSite);
        }
    }

    /** The answer a host gives: the same packet back, addresses and ports swapped. */
    private static byte[] echo(IpPacket packet) {
        IpAddress from = packet.destination();
        IpAddress to = packet.source();
        ByteBuffer buffer = ByteBuffer.allocate(1400);
        int length;
        if (packet.isUdp()) {
            length = PacketBuilder.udp(buffer, 0, from, to, packet.udp().destinationPort(), packet.udp().sourcePort(), payload(packet,
                    packet.udp().payloadIndex(), packet.udp().payloadLength()));
        } else if (packet.isTcp()) {
            length = PacketBuilder.tcp(buffer, 0, from, to, packet.tcp().destinationPort(), packet.tcp().sourcePort(), 1,
                    packet.tcp().sequenceNumber() + packet.tcp().payloadLength(), TcpHeader.PSH | TcpHeader.ACK, 65535,
                    payload(packet, packet.tcp().payloadIndex(), packet.tcp().payloadLength()));
        } else if ((packet.isIcmpv4() || packet.isIcmpv6()) && packet.icmp().isEchoRequest()) {
            length = PacketBuilder.icmpEchoReply(buffer, 0, from, to, packet.icmp().identifier(), packet.icmp().sequence(),
                    payload(packet, packet.icmp().bodyIndex(), packet.icmp().bodyLength()));
        } else {
            return null;
        }
        return java.util.Arrays.copyOf(buffer.array(), length);
    }

    private static ByteBuffer payload(IpPacket packet, int index, int length) {
        byte[] bytes = new byte[length];
        packet.buffer().get(index, bytes);
        return ByteBuffer.wrap(bytes);
    }
}
