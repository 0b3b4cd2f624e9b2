package dev.zonewire.tunnel.dns.tcp;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.net.Addresses;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * DNS queries over TCP (RFC 7766) from a local address, sans-IO: one short connection per query, from a
 * random local port in {@value #LOWEST_PORT}-{@value #HIGHEST_PORT}. Its packets come out of
 * {@link #pollPacket()} for the caller to route; answers and failures come out of {@link #pollResult()}.
 * A query that has no answer within {@value #QUERY_TIMEOUT_NANOS} ns fails. At most {@code maxQueries} are in
 * flight; a query beyond that fails at once.
 */
public final class TcpDnsClient {
    public static final int LOWEST_PORT = 49152;
    public static final int HIGHEST_PORT = 65535;
    public static final long QUERY_TIMEOUT_NANOS = 5_000_000_000L;
    private static final int MAX_RESPONSE = 65535;

    private final RandomGenerator random;
    private final int maxQueries;
    /** Queries by local port, so that recognising a packet of ours allocates nothing (no boxed key). */
    private final Query[] byLocalPort = new Query[HIGHEST_PORT - LOWEST_PORT + 1];
    /** The same queries, for the timers: they visit only these, not every port. */
    private final List<Query> inFlight = new ArrayList<>();
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final ArrayDeque<Result> results = new ArrayDeque<>();

    public TcpDnsClient(RandomGenerator random, int maxQueries) {
        this.random = random;
        this.maxQueries = Math.min(maxQueries, byLocalPort.length);
    }

    /** The answer to query {@code id} sent to {@code server}, or a failure ({@code response} null). */
    public record Result(InetSocketAddress server, int id, byte[] response) {
        public boolean failed() {
            return response == null;
        }
    }

    private static final class Query {
        final InetSocketAddress server;
        final int id;
        final long deadline;
        final TcpConnection connection;
        boolean done;

        Query(InetSocketAddress server, int id, long deadline, TcpConnection connection) {
            this.server = server;
            this.id = id;
            this.deadline = deadline;
            this.connection = connection;
        }
    }

    /** Connects from {@code source} to {@code server} and sends {@code message} (a DNS query whose id is {@code id}). */
    public void query(IpAddress source, InetSocketAddress server, int id, byte[] message, long now) {
        if (inFlight.size() >= maxQueries) {
            results.add(new Result(server, id, null));
            return;
        }
        int port = freePort();
        TcpConnection connection = TcpConnection.connect(source, port, Addresses.of(server.getAddress()), server.getPort(),
                random.nextInt(), MAX_RESPONSE, now, packets);
        connection.writeMessage(message, now, packets);
        Query query = new Query(server, id, now + QUERY_TIMEOUT_NANOS, connection);
        byLocalPort[port - LOWEST_PORT] = query;
        inFlight.add(query);
    }

    /** A TCP packet to one of our connections: its destination and ports match a live query's. */
    public boolean accepts(IpPacket packet) {
        if (inFlight.isEmpty() || !packet.isTcp()) {
            return false;
        }
        Query query = query(packet.tcp().destinationPort());
        return query != null && packet.destinationEquals(query.connection.local) && packet.sourceEquals(query.connection.remote)
                && packet.tcp().sourcePort() == query.connection.remotePort;
    }

    /** A packet {@link #accepts} took. */
    public void handle(IpPacket packet, long now) {
        Query query = query(packet.tcp().destinationPort());
        TcpConnection connection = query.connection;
        connection.handle(packet, now, packets);
        byte[] response = connection.readMessage(packets, now);
        if (response != null && !query.done) {
            query.done = true;
            results.add(new Result(query.server, query.id, response));
            connection.finish(now, packets);
        } else if (!connection.isOpen() && !query.done) {
            fail(query);
        }
    }

    /**
     * An ICMP unreachable quoted {@code segment}, one of ours to the server: the path to the server is refused,
     * so the query fails now instead of after its retransmissions. Returns whether such a query was in flight.
     */
    public boolean unreachable(IpPacket segment, long now) {
        Query query = segment.isTcp() ? query(segment.tcp().sourcePort()) : null;
        TcpConnection connection = query == null ? null : query.connection;
        if (connection == null || !segment.sourceEquals(connection.local) || !segment.destinationEquals(connection.remote)
                || segment.tcp().destinationPort() != connection.remotePort) {
            return false;
        }
        query.connection.abort(now, packets);
        if (!query.done) {
            fail(query);
        }
        return true;
    }

    public Result pollResult() {
        return results.poll();
    }

    public byte[] pollPacket() {
        return packets.poll();
    }

    public void handleTimeout(long now) {
        Iterator<Query> each = inFlight.iterator();
        while (each.hasNext()) {
            Query query = each.next();
            TcpConnection connection = query.connection;
            connection.handleTimeout(now, packets);
            if (!query.done && (!connection.isOpen() || now - query.deadline >= 0)) {
                connection.abort(now, packets);
                fail(query);
            }
            if (query.done && (connection.isFinished(now) || now - query.deadline >= 0)) {
                connection.abort(now, packets);
                byLocalPort[connection.localPort - LOWEST_PORT] = null;
                each.remove();
            }
        }
    }

    public long pollTimeout() {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < inFlight.size(); i++) {
            Query query = inFlight.get(i);
            next = Math.min(next, Math.min(query.deadline, query.connection.pollTimeout()));
        }
        return next;
    }

    /** Fails every query in flight, e.g. after a network change. */
    public void reset(long now) {
        for (Query query : inFlight) {
            query.connection.abort(now, packets);
            if (!query.done) {
                fail(query);
            }
            byLocalPort[query.connection.localPort - LOWEST_PORT] = null;
        }
        inFlight.clear();
    }

    public int inFlight() {
        return inFlight.size();
    }

    private void fail(Query query) {
        query.done = true;
        results.add(new Result(query.server, query.id, null));
    }

    private Query query(int localPort) {
        return localPort < LOWEST_PORT ? null : byLocalPort[localPort - LOWEST_PORT];
    }

    private int freePort() {
        while (true) {
            int port = LOWEST_PORT + random.nextInt(HIGHEST_PORT - LOWEST_PORT + 1);
            if (byLocalPort[port - LOWEST_PORT] == null) {
                return port;
            }
        }
    }
}
