package dev.zonewire.tunnel.dns;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.tunnel.dns.tcp.TcpDnsServer;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The packet side of the client's DNS: IP packets read from the TUN device that go to a sentinel become
 * queries for {@link ClientDns} (UDP directly, TCP through a small {@link TcpDnsServer} on every sentinel's
 * port 53), and its answers become IP packets from the sentinel back to the application.
 */
public final class SentinelPackets {
    private final ClientDns dns;
    private final TcpDnsServer tcp;
    private long unsupported;
    private long tcpAnswersLost;

    public SentinelPackets(ClientDns dns, RandomGenerator random) {
        this.dns = dns;
        this.tcp = new TcpDnsServer(random);
    }

    /** The sentinels changed: the TCP server listens on the new ones (connections to old ones are reset). */
    public void sentinelsChanged(long nowNanos) {
        Set<InetSocketAddress> listen = dns.sentinels().sentinels().stream()
                .map(sentinel -> new InetSocketAddress(sentinel, AddressPlan.DNS_PORT)).collect(Collectors.toUnmodifiableSet());
        tcp.setListenAddresses(listen, nowNanos);
    }

    /**
     * Takes a packet if it goes to a sentinel of the current mapping (tunnel.md §3.4 step 1) and returns
     * true; anything else returns false and is the caller's. A sentinel packet that is neither UDP nor TCP
     * to port 53 is dropped and counted; bad DNS is dropped or answered inside {@link ClientDns}.
     */
    public boolean handle(IpPacket packet, long nowNanos) {
        if (dns.sentinels().upstreamFor(Addresses.toInet(packet.destination())) == null) {
            return false;
        }
        if (packet.isUdp()) {
            byte[] message = new byte[packet.udp().payloadLength()];
            packet.buffer().get(packet.udp().payloadIndex(), message);
            InetSocketAddress source = new InetSocketAddress(Addresses.toInet(packet.source()), packet.udp().sourcePort());
            InetSocketAddress destination = new InetSocketAddress(Addresses.toInet(packet.destination()), packet.udp().destinationPort());
            dns.handleQuery(new DnsQuery(DnsTransport.UDP, source, destination, message), nowNanos);
        } else if (tcp.accepts(packet)) {
            tcp.handle(packet, nowNanos);
            for (DnsQuery query = tcp.pollQuery(); query != null; query = tcp.pollQuery()) {
                dns.handleQuery(query, nowNanos);
            }
        } else {
            unsupported++;
        }
        return true;
    }

    /** The next packet for the TUN device: a UDP answer, or a segment of the TCP server; null when there is none. */
    public byte[] pollPacket(long nowNanos) {
        for (DnsReply reply = dns.pollReply(); reply != null; reply = dns.pollReply()) {
            if (reply.transport() == DnsTransport.UDP) {
                return udp(reply);
            }
            if (!tcp.send(reply.destination(), reply.source(), reply.message(), nowNanos)) {
                tcpAnswersLost++;
            }
        }
        return tcp.pollPacket();
    }

    public void handleTimeout(long nowNanos) {
        tcp.handleTimeout(nowNanos);
    }

    public long pollTimeout() {
        return tcp.pollTimeout();
    }

    /** Packets to a sentinel that were neither UDP nor TCP to port 53 (e.g. ICMP echo). */
    public long unsupported() {
        return unsupported;
    }

    /** Answers over TCP whose connection was gone (closed, reset, or its sentinel replaced). */
    public long tcpAnswersLost() {
        return tcpAnswersLost;
    }

    public TcpDnsServer tcpServer() {
        return tcp;
    }

    private static byte[] udp(DnsReply reply) {
        IpAddress source = Addresses.of(reply.source().getAddress());
        ByteBuffer packet = ByteBuffer.allocate((source.version() == 4 ? 20 : 40) + 8 + reply.message().length);
        PacketBuilder.udp(packet, 0, source, Addresses.of(reply.destination().getAddress()), reply.source().getPort(),
                reply.destination().getPort(), ByteBuffer.wrap(reply.message()));
        return packet.array();
    }
}
