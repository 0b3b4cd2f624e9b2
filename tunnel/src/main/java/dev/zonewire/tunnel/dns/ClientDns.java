package dev.zonewire.tunnel.dns;

import dev.zonewire.tunnel.net.AddressPlan;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The client's DNS on the sentinel addresses, sans-IO. Queries come in with their source
 * ({@link #handleQuery}); answers for applications ({@link #pollReply}) and queries to forward
 * ({@link #pollUpstreamQuery}) come out; upstream answers and failures come back in. Forwarded queries
 * get a fresh random id per (transport, server) and are matched on id and question; at most
 * {@value #MAX_PENDING} are in flight and each waits {@value #UPSTREAM_TIMEOUT_NANOS} ns. A UDP answer
 * larger than the application's limit is cut with TC set, so the application retries over TCP.
 * Nothing here throws on bad input: it is dropped or answered with an error, and counted.
 */
public final class ClientDns {
    public static final int MAX_PENDING = 1000;
    public static final long UPSTREAM_TIMEOUT_NANOS = 5_000_000_000L;
    private static final int MAX_TCP_MESSAGE = 65535;

    private final StubResolver resolver;
    private final DnsSentinels sentinels = new DnsSentinels();
    private final RandomGenerator random;
    private final Predicate<InetAddress> routedThroughTunnel;
    /** Insertion order is deadline order: every query waits the same time. */
    private final LinkedHashMap<PendingKey, Pending> pending = new LinkedHashMap<>();
    private final ArrayDeque<DnsReply> replies = new ArrayDeque<>();
    private final ArrayDeque<UpstreamQuery> upstreamQueries = new ArrayDeque<>();
    private final EnumMap<DnsCounter, Long> counters = new EnumMap<>(DnsCounter.class);

    /**
     * @param routedThroughTunnel whether an upstream address is covered by an active CIDR resource or the
     *                            Internet resource; such portal upstreams are reached through the tunnel
     */
    public ClientDns(StubResolver resolver, RandomGenerator random, Predicate<InetAddress> routedThroughTunnel) {
        this.resolver = resolver;
        this.random = random;
        this.routedThroughTunnel = routedThroughTunnel;
    }

    /** See {@link DnsSentinels#update}; true when the sentinels changed and must be given to the platform. */
    public boolean updateUpstreams(List<InetSocketAddress> portalUpstreams, List<InetAddress> systemResolvers) {
        return sentinels.update(portalUpstreams, systemResolvers);
    }

    public DnsSentinels sentinels() {
        return sentinels;
    }

    public StubResolver resolver() {
        return resolver;
    }

    public void handleQuery(DnsQuery query, long nowNanos) {
        InetSocketAddress upstream = sentinels.upstreamFor(query.destination().getAddress());
        if (upstream == null) {
            increment(DnsCounter.NOT_A_SENTINEL);
            return;
        }
        if (query.destination().getPort() != AddressPlan.DNS_PORT) {
            increment(DnsCounter.WRONG_PORT);
            return;
        }
        Message message = DnsMessages.parse(query.message());
        if (message == null) {
            increment(DnsCounter.UNPARSABLE_QUERIES);
            return;
        }
        increment(DnsCounter.QUERIES);
        switch (resolver.resolve(message, nowNanos)) {
            case Resolution.Answer answer -> {
                increment(switch (answer.kind()) {
                    case LOCAL -> DnsCounter.LOCAL_ANSWERS;
                    case MALFORMED_QUERY -> DnsCounter.MALFORMED_QUERIES;
                    case UNSUPPORTED_OPCODE -> DnsCounter.UNSUPPORTED_OPCODES;
                    case PROXY_IPS_EXHAUSTED -> DnsCounter.PROXY_IPS_EXHAUSTED;
                });
                reply(query, message, answer.response());
            }
            case Resolution.Forward forward -> forward(query, message, upstream, nowNanos);
        }
    }

    /** An answer from an upstream server, by the transport the query went out on. */
    public void handleUpstreamResponse(DnsTransport transport, InetSocketAddress server, byte[] wire, long nowNanos) {
        Message response = DnsMessages.parse(wire);
        if (response == null || !response.getHeader().getFlag(Flags.QR)) {
            increment(DnsCounter.MALFORMED_UPSTREAM_RESPONSES);
            return;
        }
        PendingKey key = new PendingKey(transport, server, response.getHeader().getID());
        Pending query = pending.get(key);
        if (query == null || !answersQuestion(response, query.message())) {
            increment(DnsCounter.UNMATCHED_UPSTREAM_RESPONSES);
            return;
        }
        pending.remove(key);
        increment(DnsCounter.UPSTREAM_RESPONSES);
        response.getHeader().setID(query.originalId());
        reply(query.origin(), query.message(), response);
    }

    /** The upstream could not be asked (connection refused, reset, unreachable): the application gets SERVFAIL. */
    public void handleUpstreamFailure(DnsTransport transport, InetSocketAddress server, int id, long nowNanos) {
        Pending query = pending.remove(new PendingKey(transport, server, id));
        if (query == null) {
            return;
        }
        increment(DnsCounter.UPSTREAM_FAILURES);
        servfail(query);
    }

    public void handleTimeout(long nowNanos) {
        Iterator<Pending> oldestFirst = pending.values().iterator();
        while (oldestFirst.hasNext()) {
            Pending query = oldestFirst.next();
            if (query.deadlineNanos() - nowNanos > 0) {
                return;
            }
            oldestFirst.remove();
            increment(DnsCounter.UPSTREAM_TIMEOUTS);
            if (query.origin().transport() == DnsTransport.TCP) {
                servfail(query);
            }
        }
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return pending.isEmpty() ? Long.MAX_VALUE : pending.firstEntry().getValue().deadlineNanos();
    }

    public DnsReply pollReply() {
        return replies.poll();
    }

    public UpstreamQuery pollUpstreamQuery() {
        return upstreamQueries.poll();
    }

    /** True while a query to {@code server} over {@code transport} awaits its answer (to recognise answers coming through the tunnel). */
    public boolean awaitsAnswerFrom(DnsTransport transport, InetSocketAddress server) {
        for (PendingKey key : pending.keySet()) {
            if (key.transport() == transport && key.server().equals(server)) {
                return true;
            }
        }
        return false;
    }

    public int pendingCount() {
        return pending.size();
    }

    public long count(DnsCounter counter) {
        return counters.getOrDefault(counter, 0L);
    }

    private void forward(DnsQuery query, Message message, InetSocketAddress upstream, long nowNanos) {
        if (pending.size() >= MAX_PENDING) {
            increment(DnsCounter.PENDING_TABLE_FULL);
            if (query.transport() == DnsTransport.TCP) {
                reply(query, message, DnsMessages.response(message, Rcode.SERVFAIL, List.of()));
            }
            return;
        }
        int id = freeId(query.transport(), upstream);
        int originalId = message.getHeader().getID();
        message.getHeader().setID(id);
        byte[] wire = message.toWire();
        message.getHeader().setID(originalId);
        pending.put(new PendingKey(query.transport(), upstream, id),
                new Pending(query, message, originalId, nowNanos + UPSTREAM_TIMEOUT_NANOS));
        UpstreamRoute route = sentinels.fromPortal() && routedThroughTunnel.test(upstream.getAddress())
                ? UpstreamRoute.TUNNEL : UpstreamRoute.HOST;
        upstreamQueries.add(new UpstreamQuery(query.transport(), route, upstream, id, wire));
        increment(DnsCounter.FORWARDED);
    }

    private int freeId(DnsTransport transport, InetSocketAddress server) {
        while (true) {
            int id = random.nextInt(0x10000);
            if (!pending.containsKey(new PendingKey(transport, server, id))) {
                return id;
            }
        }
    }

    private void reply(DnsQuery query, Message request, Message response) {
        int limit = query.transport() == DnsTransport.UDP
                ? DnsMessages.udpLimit(request, query.source().getAddress() instanceof Inet6Address)
                : MAX_TCP_MESSAGE;
        byte[] wire = response.toWire();
        if (wire.length > limit) {
            increment(DnsCounter.TRUNCATED_ANSWERS);
            wire = response.toWire(limit);
        }
        replies.add(new DnsReply(query.transport(), query.destination(), query.source(), wire));
    }

    private void servfail(Pending query) {
        reply(query.origin(), query.message(), DnsMessages.response(query.message(), Rcode.SERVFAIL, List.of()));
    }

    /** Some servers leave the question out of an error; a success must repeat ours. */
    private static boolean answersQuestion(Message response, Message query) {
        List<Record> questions = response.getSection(Section.QUESTION);
        if (questions.isEmpty()) {
            return response.getRcode() != Rcode.NOERROR;
        }
        Record asked = query.getQuestion();
        Record answered = questions.getFirst();
        return asked.getName().equals(answered.getName()) && asked.getType() == answered.getType()
                && asked.getDClass() == answered.getDClass();
    }

    private void increment(DnsCounter counter) {
        counters.merge(counter, 1L, Long::sum);
    }

    private record PendingKey(DnsTransport transport, InetSocketAddress server, int id) {}

    private record Pending(DnsQuery origin, Message message, int originalId, long deadlineNanos) {}
}
