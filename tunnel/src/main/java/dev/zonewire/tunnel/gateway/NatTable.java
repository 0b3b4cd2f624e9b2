package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.net.AddressKeyMap;
import dev.zonewire.tunnel.net.Addresses;
import java.util.function.Predicate;

/**
 * One client's NAT sessions for DNS resources (tunnel.md §4.6): a bijection between the inside key
 * (protocol, the client's source port or echo id, proxy IP) and the outside key (protocol, port or id,
 * real IP). The client's own port is kept unless two proxy IPs of one client map to the same real IP
 * and collide; then the next free one upwards is taken, wrapping to 1.
 *
 * <p>A session lives {@value #TTL_NANOS} ns after its last packet in either direction (the reference only
 * counts outgoing ones). At most {@code maxSessions} exist; a new flow beyond that is refused. Looking up
 * an existing session allocates nothing.
 */
final class NatTable {
    static final long TTL_NANOS = 60_000_000_000L;
    static final int DEFAULT_MAX_SESSIONS = 16_384;
    private static final int MAX_PORT = 65535;

    private final int maxSessions;
    private final AddressKeyMap<Session> byInside = new AddressKeyMap<>();
    private final AddressKeyMap<Session> byOutside = new AddressKeyMap<>();

    NatTable(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /**
     * The port or id a flow from {@code sourcePort} to {@code translation}'s proxy IP leaves with towards
     * its real IP, or -1 when no session can be made. {@code protocol} is a {@link TransportProtocol} ordinal.
     */
    int translateOutgoing(int protocol, int sourcePort, TranslationState translation, long nowNanos) {
        IpAddress proxy = translation.proxyIp;
        long proxyHigh = Addresses.high(proxy);
        long proxyLow = Addresses.low(proxy);
        Session session = byInside.get(AddressKeyMap.tag(proxy.version(), protocol, sourcePort), proxyHigh, proxyLow);
        if (session != null && session.real.equals(translation.realIp)) {
            session.lastSeenNanos = nowNanos;
            return session.outsidePort;
        }
        if (session != null) {
            // The proxy IP now points at another real IP: the old session is of no use any more.
            remove(session);
        }
        if (byInside.size() >= maxSessions) {
            return -1;
        }
        int port = freeOutsidePort(protocol, sourcePort, translation);
        if (port < 0) {
            return -1;
        }
        Session created = new Session(protocol, sourcePort, proxy, port, translation.realIp, nowNanos);
        byInside.put(created.insideTag(), proxyHigh, proxyLow, created);
        byOutside.put(created.outsideTag(), translation.realHigh, translation.realLow, created);
        return port;
    }

    /** The session a reply from a real IP (given as bits) to {@code destinationPort} belongs to, or null (not a NAT flow). */
    Session translateIncoming(int protocol, int destinationPort, int version, long sourceHigh, long sourceLow, long nowNanos) {
        Session session = byOutside.get(AddressKeyMap.tag(version, protocol, destinationPort), sourceHigh, sourceLow);
        if (session != null) {
            session.lastSeenNanos = nowNanos;
        }
        return session;
    }

    void handleTimeout(long nowNanos) {
        for (Session session : byInside.values()) {
            if (nowNanos - session.lastSeenNanos >= TTL_NANOS) {
                remove(session);
            }
        }
    }

    /** Ends every session {@code stale} accepts. */
    void removeIf(Predicate<Session> stale) {
        byInside.values().stream().filter(stale).forEach(this::remove);
    }

    int size() {
        return byInside.size();
    }

    private int freeOutsidePort(int protocol, int preferred, TranslationState translation) {
        int version = translation.realIp.version();
        int candidate = Math.max(preferred, 1);
        for (int tried = 0; tried < MAX_PORT; tried++) {
            if (!byOutside.containsKey(AddressKeyMap.tag(version, protocol, candidate), translation.realHigh, translation.realLow)) {
                return candidate;
            }
            candidate = candidate == MAX_PORT ? 1 : candidate + 1;
        }
        return -1;
    }

    private void remove(Session session) {
        byInside.remove(session.insideTag(), Addresses.high(session.proxy), Addresses.low(session.proxy));
        byOutside.remove(session.outsideTag(), Addresses.high(session.real), Addresses.low(session.real));
    }

    /** One translated flow: the client's side (port, proxy IP) and the resource side (port, real IP). */
    static final class Session {
        final int protocol;
        final int insidePort;
        final IpAddress proxy;
        final int outsidePort;
        final IpAddress real;
        long lastSeenNanos;

        Session(int protocol, int insidePort, IpAddress proxy, int outsidePort, IpAddress real, long lastSeenNanos) {
            this.protocol = protocol;
            this.insidePort = insidePort;
            this.proxy = proxy;
            this.outsidePort = outsidePort;
            this.real = real;
            this.lastSeenNanos = lastSeenNanos;
        }

        int insideTag() {
            return AddressKeyMap.tag(proxy.version(), protocol, insidePort);
        }

        int outsideTag() {
            return AddressKeyMap.tag(real.version(), protocol, outsidePort);
        }
    }
}
