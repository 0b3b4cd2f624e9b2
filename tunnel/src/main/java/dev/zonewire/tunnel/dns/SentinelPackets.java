package dev.zonewire.tunnel.dns;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.tunnel.net.AddressPlan;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The packet side of the client's DNS: IP/UDP packets read from the TUN device that go to a sentinel
 * become queries for {@link ClientDns}, and its UDP answers become IP/UDP packets from the sentinel,
 * port 53, back to the application. TCP to a sentinel belongs to the in-tunnel TCP server; its answers
 * wait in {@link #pollTcpReply()}.
 */
public final class SentinelPackets {
    private final ClientDns dns;
    private final ArrayDeque<DnsReply> tcpReplies = new ArrayDeque<>();
    private long notUdp;

    public SentinelPackets(ClientDns dns) {
        this.dns = dns;
    }

    /**
     * Takes a packet if it goes to a sentinel of the current mapping (tunnel.md §3.4 step 1) and returns
     * true; anything else (not to a sentinel) returns false and is the caller's. A sentinel packet that is
     * not UDP is dropped and counted; bad UDP is dropped and counted inside {@link ClientDns}.
     */
    public boolean handle(IpPacket packet, long nowNanos) {
        if (dns.sentinels().upstreamFor(packet.destination().toInetAddress()) == null) {
            return false;
        }
        if (!packet.isUdp()) {
            notUdp++;
            return true;
        }
        byte[] message = new byte[packet.udp().payloadLength()];
        packet.buffer().get(packet.udp().payloadIndex(), message);
        InetSocketAddress source = new InetSocketAddress(packet.source().toInetAddress(), packet.udp().sourcePort());
        InetSocketAddress destination = new InetSocketAddress(packet.destination().toInetAddress(), packet.udp().destinationPort());
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, source, destination, message), nowNanos);
        return true;
    }

    /**
     * Writes the next UDP answer as an IP packet at {@code offset} in {@code out} and returns its length,
     * or 0 when there is none. {@code out} must hold {@value AddressPlan#MTU} bytes from {@code offset}.
     */
    public int pollPacket(ByteBuffer out, int offset) {
        for (DnsReply reply = dns.pollReply(); reply != null; reply = dns.pollReply()) {
            if (reply.transport() == DnsTransport.TCP) {
                tcpReplies.add(reply);
                continue;
            }
            return PacketBuilder.udp(out, offset, IpAddress.of(reply.source().getAddress()), IpAddress.of(reply.destination().getAddress()),
                    reply.source().getPort(), reply.destination().getPort(), ByteBuffer.wrap(reply.message()));
        }
        return 0;
    }

    /** The next answer for a query that came over TCP, or null. */
    public DnsReply pollTcpReply() {
        return tcpReplies.poll();
    }

    /** Packets to a sentinel that were neither UDP nor TCP-handled here (ICMP echo, TCP until the TCP server exists). */
    public long droppedNotUdp() {
        return notUdp;
    }
}
