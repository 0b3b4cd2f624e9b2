package dev.zonewire.tunnel.dns.tcp;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.TcpHeader;
import dev.zonewire.tunnel.dns.DnsQuery;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.net.Addresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * DNS over TCP (RFC 7766) on listen addresses such as the client's sentinels, sans-IO: TCP packets from the
 * TUN device come in, queries come out as {@link DnsQuery}, answers go back with {@link #send} and leave as
 * TCP packets. A connection may carry several queries; answers go out in the order they are given. At most
 * {@value #CONNECTIONS_PER_ADDRESS} connections per listen address (more are reset), at most
 * {@value #QUERIES_PER_CONNECTION} unanswered queries per connection (more reset it), queries of at most
 * {@value #MAX_QUERY} bytes, and a connection idle for {@value #IDLE_NANOS} ns is reset.
 */
public final class TcpDnsServer {
    public static final int CONNECTIONS_PER_ADDRESS = 10;
    public static final int QUERIES_PER_CONNECTION = 16;
    public static final int MAX_QUERY = 4096;
    public static final long IDLE_NANOS = 30_000_000_000L;

    private final RandomGenerator random;
    private Set<InetSocketAddress> listening = Set.of();
    private final Map<Key, Served> connections = new LinkedHashMap<>();
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final ArrayDeque<DnsQuery> queries = new ArrayDeque<>();
    private long refused;

    public TcpDnsServer(RandomGenerator random) {
        this.random = random;
    }

    private record Key(InetSocketAddress client, InetSocketAddress server) {}

    private static final class Served {
        final TcpConnection connection;
        int unanswered;

        Served(TcpConnection connection) {
            this.connection = connection;
        }
    }

    /** Listens on exactly these addresses; connections to addresses no longer listed are reset (their queries go unanswered). */
    public void setListenAddresses(Set<InetSocketAddress> addresses, long now) {
        if (addresses.equals(listening)) {
            return;
        }
        listening = Set.copyOf(addresses);
        Iterator<Map.Entry<Key, Served>> each = connections.entrySet().iterator();
        while (each.hasNext()) {
            Map.Entry<Key, Served> entry = each.next();
            if (!listening.contains(entry.getKey().server())) {
                entry.getValue().connection.abort(now, packets);
                each.remove();
            }
        }
    }

    /** A TCP packet to one of the listen addresses. */
    public boolean accepts(IpPacket packet) {
        return packet.isTcp() && listening.contains(new InetSocketAddress(Addresses.toInet(packet.destination()), packet.tcp().destinationPort()));
    }

    /** A packet {@link #accepts} took. */
    public void handle(IpPacket packet, long now) {
        TcpHeader tcp = packet.tcp();
        Key key = new Key(new InetSocketAddress(Addresses.toInet(packet.source()), tcp.sourcePort()),
                new InetSocketAddress(Addresses.toInet(packet.destination()), tcp.destinationPort()));
        Served served = connections.get(key);
        if (served == null) {
            accept(packet, key, now);
            return;
        }
        TcpConnection connection = served.connection;
        connection.handle(packet, now, packets);
        for (byte[] message = connection.readMessage(packets, now); message != null; message = connection.readMessage(packets, now)) {
            if (++served.unanswered > QUERIES_PER_CONNECTION) {
                connection.abort(now, packets);
                break;
            }
            queries.add(new DnsQuery(DnsTransport.TCP, key.client(), key.server(), message));
        }
        finishIfDone(served, now);
    }

    public DnsQuery pollQuery() {
        return queries.poll();
    }

    /** The answer to a query from {@code client} to {@code server}; dropped if the connection is gone. Returns whether it was queued. */
    public boolean send(InetSocketAddress client, InetSocketAddress server, byte[] message, long now) {
        Served served = connections.get(new Key(client, server));
        if (served == null || !served.connection.writeMessage(message, now, packets)) {
            return false;
        }
        served.unanswered--;
        finishIfDone(served, now);
        return true;
    }

    /** The next TCP packet for the TUN device, or null. */
    public byte[] pollPacket() {
        return packets.poll();
    }

    public void handleTimeout(long now) {
        Iterator<Served> each = connections.values().iterator();
        while (each.hasNext()) {
            Served served = each.next();
            TcpConnection connection = served.connection;
            if (connection.isOpen() && now - connection.lastActivityNanos >= IDLE_NANOS) {
                connection.abort(now, packets);
            }
            connection.handleTimeout(now, packets);
            if (connection.isFinished(now)) {
                each.remove();
            }
        }
    }

    public long pollTimeout() {
        long next = Long.MAX_VALUE;
        for (Served served : connections.values()) {
            TcpConnection connection = served.connection;
            next = Math.min(next, connection.pollTimeout());
            if (connection.isOpen()) {
                next = Math.min(next, connection.lastActivityNanos + IDLE_NANOS);
            }
        }
        return next;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Connection attempts refused: not a SYN, or the listen address had no free connection. */
    public long refused() {
        return refused;
    }

    private void accept(IpPacket packet, Key key, long now) {
        TcpHeader tcp = packet.tcp();
        if (!tcp.hasFlags(TcpHeader.SYN) || tcp.hasFlags(TcpHeader.ACK)) {
            refused++;
            resetUnknown(packet);
            return;
        }
        long open = connections.keySet().stream().filter(other -> other.server().equals(key.server())).count();
        if (open >= CONNECTIONS_PER_ADDRESS) {
            refused++;
            resetUnknown(packet);
            return;
        }
        connections.put(key, new Served(TcpConnection.accept(packet, random.nextInt(), MAX_QUERY, now, packets)));
    }

    /** Answers a segment of no connection with a reset (RFC 9293 3.10.7.1), never a reset with another. */
    private void resetUnknown(IpPacket packet) {
        TcpHeader tcp = packet.tcp();
        if (tcp.hasFlags(TcpHeader.RST)) {
            return;
        }
        IpAddress from = packet.destination();
        IpAddress to = packet.source();
        boolean acknowledges = tcp.hasFlags(TcpHeader.ACK);
        long sequence = acknowledges ? tcp.acknowledgmentNumber() : 0;
        long acknowledgment = (tcp.sequenceNumber() + tcp.payloadLength() + (tcp.hasFlags(TcpHeader.SYN) ? 1 : 0)
                + (tcp.hasFlags(TcpHeader.FIN) ? 1 : 0)) & 0xFFFF_FFFFL;
        int flags = acknowledges ? TcpHeader.RST : TcpHeader.RST | TcpHeader.ACK;
        ByteBuffer reset = ByteBuffer.allocate((from.version() == 4 ? 20 : 40) + 20);
        PacketBuilder.tcp(reset, 0, from, to, tcp.destinationPort(), tcp.sourcePort(), sequence, acknowledges ? 0 : acknowledgment, flags, 0,
                ByteBuffer.allocate(0));
        packets.add(reset.array());
    }

    /** The client sent its FIN and every query is answered: close our side too. */
    private void finishIfDone(Served served, long now) {
        if (served.connection.peerFinished() && served.unanswered <= 0) {
            served.connection.finish(now, packets);
        }
    }
}
