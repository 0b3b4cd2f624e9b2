package dev.zonewire.tunnel.gateway;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One client's NAT sessions for DNS resources (tunnel.md §4.6): a bijection between the inside key
 * (protocol, the client's source port or echo id, proxy IP) and the outside key (protocol, port or id,
 * real IP). The client's own port is kept unless two proxy IPs of one client map to the same real IP
 * and collide; then the next free one upwards is taken, wrapping to 1.
 *
 * <p>A session lives {@value #TTL_NANOS} ns after its last packet in either direction (the reference only
 * counts outgoing ones). At most {@code maxSessions} exist; a new flow beyond that is refused.
 */
final class NatTable {
    static final long TTL_NANOS = 60_000_000_000L;
    static final int DEFAULT_MAX_SESSIONS = 16_384;
    private static final int MAX_PORT = 65535;

    private final int maxSessions;
    private final Map<Key, Session> byInside = new HashMap<>();
    private final Map<Key, Session> byOutside = new HashMap<>();

    NatTable(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** The port or id the flow leaves with towards {@code realIp}, or -1 when no session can be made. */
    int translateOutgoing(TransportProtocol protocol, int sourcePort, InetAddress proxyIp, InetAddress realIp, long nowNanos) {
        Key inside = new Key(protocol, sourcePort, proxyIp);
        Session session = byInside.get(inside);
        if (session != null && session.outside.address().equals(realIp)) {
            session.lastSeenNanos = nowNanos;
            return session.outside.port();
        }
        if (session != null) {
            // The proxy IP now points at another real IP: the old session is of no use any more.
            remove(session);
        }
        if (byInside.size() >= maxSessions) {
            return -1;
        }
        int port = freeOutsidePort(protocol, sourcePort, realIp);
        if (port < 0) {
            return -1;
        }
        Session created = new Session(inside, new Key(protocol, port, realIp), nowNanos);
        byInside.put(created.inside, created);
        byOutside.put(created.outside, created);
        return port;
    }

    /** The inside key a reply from {@code realSource} to {@code destinationPort} belongs to, or null (not a NAT flow). */
    Key translateIncoming(TransportProtocol protocol, int destinationPort, InetAddress realSource, long nowNanos) {
        Session session = byOutside.get(new Key(protocol, destinationPort, realSource));
        if (session == null) {
            return null;
        }
        session.lastSeenNanos = nowNanos;
        return session.inside;
    }

    void handleTimeout(long nowNanos) {
        Iterator<Session> sessions = byInside.values().iterator();
        while (sessions.hasNext()) {
            Session session = sessions.next();
            if (nowNanos - session.lastSeenNanos >= TTL_NANOS) {
                sessions.remove();
                byOutside.remove(session.outside);
            }
        }
    }

    int size() {
        return byInside.size();
    }

    private int freeOutsidePort(TransportProtocol protocol, int preferred, InetAddress realIp) {
        int candidate = Math.max(preferred, 1);
        for (int tried = 0; tried < MAX_PORT; tried++) {
            if (!byOutside.containsKey(new Key(protocol, candidate, realIp))) {
                return candidate;
            }
            candidate = candidate == MAX_PORT ? 1 : candidate + 1;
        }
        return -1;
    }

    private void remove(Session session) {
        byInside.remove(session.inside);
        byOutside.remove(session.outside);
    }

    /** One side of a session: protocol, port or echo id, address. */
    record Key(TransportProtocol protocol, int port, InetAddress address) {}

    private static final class Session {
        final Key inside;
        final Key outside;
        long lastSeenNanos;

        Session(Key inside, Key outside, long lastSeenNanos) {
            this.inside = inside;
            this.outside = outside;
            this.lastSeenNanos = lastSeenNanos;
        }
    }
}
