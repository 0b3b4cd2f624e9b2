package dev.zonewire.tunnel.sim;

import dev.zonewire.ippacket.IcmpMessage;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.snownet.sim.SimNetwork;
import dev.zonewire.snownet.sim.SimRelay;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.dns.tcp.TcpDnsClient;
import dev.zonewire.tunnel.messages.ClientInbound;
import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.Interface;
import dev.zonewire.tunnel.messages.Relay;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The whole system in one thread on a virtual clock: a client, gateways in sites, TURN relays and the stub
 * portal on snownet's simulated network, the networks behind the sites, and a reference model of what must
 * happen. Transitions ({@link #grant}, {@link #send}, {@link #queryDns}, {@link #restartRelay}, ...) change the
 * world, run it until it settles and check the invariants:
 * <ul>
 *   <li>a packet to a resource the policy allows gets its reply (addresses and ports swapped; from the
 *       proxy IP for a DNS resource); one whose filters deny it, or whose flow expired, gets "administratively
 *       prohibited"; one to no resource gets nothing;</li>
 *   <li>no packet reaches a site network unless the policy allows it there: the right site, the client's
 *       tunnel address as source, a real address of the name for DNS resources;</li>
 *   <li>DNS answers match the records, or the 4 proxy IPs of a resource name, which never change;</li>
 *   <li>no table of the client or the gateways outgrows its bound.</li>
 * </ul>
 * Violations are collected and reported by {@link #check()}.
 */
final class World {
    static final UUID CLIENT_ID = UUID.fromString("3abd725a-733b-4801-ac16-72f26cd98a24");
    static final Inet4Address CLIENT_TUNNEL_V4 = IpLiterals.parseIpv4("100.64.0.1");
    static final Inet6Address CLIENT_TUNNEL_V6 = IpLiterals.parseIpv6("fd00:2021:1111::1");
    static final long START = 1_000_000_000L;
    static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");
    static final long SECOND = 1_000_000_000L;
    static final long SETTLE_NANOS = 4 * SECOND;
    static final long DISRUPTION_SETTLE_NANOS = 40 * SECOND;
    static final long IDLE_NANOS = 360 * SECOND;
    static final InetSocketAddress SYSTEM_RESOLVER = new InetSocketAddress(IpLiterals.parse("192.0.2.53"), 53);
    static final List<String> PUBLIC_NAMES = List.of("www.public.test", "v6.public.test", "big.public.test", "nothing.public.test");

    final WorldSpec spec;
    final SplittableRandom random;
    final SimNetwork network;
    final DnsRecords records = new DnsRecords();
    final StubPortal portal;
    final SimClient client;
    final Map<UUID, SimGateway> gateways = new LinkedHashMap<>();
    final Map<UUID, SiteNetwork> sites = new LinkedHashMap<>();
    final List<RelaySlot> relays = new ArrayList<>();
    final List<DnsServer> portalUpstreams = new ArrayList<>();
    long now = START;
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;

    // The reference model and what the system did.
    final Set<UUID> disabled = new HashSet<>();
    final Map<UUID, Held> flowHeld = new HashMap<>();
    private final Map<String, List<InetAddress>> proxiesByName = new HashMap<>();
    private final Map<IpAddress, String> nameByProxy = new HashMap<>();
    private final Map<Long, Sent> probes = new LinkedHashMap<>();
    private final Set<Long> replied = new HashSet<>();
    private final Set<Long> prohibited = new HashSet<>();
    private final Map<Integer, Asked> dnsQueries = new LinkedHashMap<>();
    private final List<Long> probesThisStep = new ArrayList<>();
    private final List<Integer> queriesThisStep = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    private long nextProbeId = 1;
    private int nextDnsId = 1;
    private int nextPort = 20_000;

    /** What the model expects for a probe. */
    enum Expect {
        REPLY,
        PROHIBITED,
        NOTHING,
        /** Either of the above (e.g. sent within a second of its flow's expiry, which the gateway checks once a second). */
        ANY
    }

    /** Whether the client still routes a resource to the gateway of its last flow (after a disruption the model cannot tell). */
    enum Held {
        YES,
        NO,
        UNKNOWN
    }

    record Sent(Probe probe, Expect expect, PortalResource resource, String name) {}

    /** A DNS query: {@code expect} is REPLY for an answer by the records or proxy IPs, PROHIBITED for SERVFAIL, or ANY. */
    record Asked(String name, int type, DnsTransport transport, PortalResource resource, Expect expect, Message answer) {}

    record RelaySlot(UUID id, SimRelay relay, Relay.Turn descriptor) {}

    private record Scheduled(long at, long order, Runnable action) {}

    World(WorldSpec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.network = new SimNetwork(random.split());
        network.latencyNanos = 10_000_000L;
        network.jitterNanos = 5_000_000L;
        this.portal = new StubPortal(this);
        log.add("new World(" + spec + ")");
        for (int i = 0; i < spec.relays(); i++) {
            relays.add(startRelay(ipv4("198.51.100." + (101 + 100 * i))));
        }
        int gatewayIndex = 0;
        int siteCount = spec.sites() + (spec.internet() ? 1 : 0);
        for (int s = 0; s < siteCount; s++) {
            UUID siteId = new UUID(0x5173, s);
            List<UUID> ids = new ArrayList<>();
            for (int g = 0; g < spec.gatewaysPerSite(); g++, gatewayIndex++) {
                UUID id = new UUID(0x6a7e, gatewayIndex);
                InetAddress publicIp = ipv4("198.51.100." + (10 + gatewayIndex));
                InetSocketAddress host = new InetSocketAddress(spec.gatewayNat() == null ? publicIp : ipv4("10.0.2." + (10 + gatewayIndex)), 52625);
                gateways.put(id, new SimGateway(this, id, siteId, host, spec.gatewayNat(), publicIp, random.split()));
                ids.add(id);
            }
            portal.gatewaysBySite.put(siteId, ids);
        }
        Resources.generate(this, siteCount);
        InetAddress clientPublic = ipv4("198.51.100.2");
        client = new SimClient(this, new InetSocketAddress(spec.clientNat() == null ? clientPublic : ipv4("10.0.1.100"), 40000),
                spec.clientNat(), clientPublic, random.split());
        List<UUID> ids = new ArrayList<>(portal.resources.keySet());
        ids.stream().filter(id -> random.nextBoolean()).forEach(portal.granted::add);
        client.state.updateSystemResolvers(List.of(SYSTEM_RESOLVER.getAddress()), now);
        portal.toClient(clientInit());
        int tunnelHost = 10;
        for (SimGateway gateway : gateways.values()) {
            portal.toGateway(gateway.id, new GatewayInbound.Init(new Interface(ipv4("100.64.0." + tunnelHost),
                    IpLiterals.parseIpv6("fd00:2021:1111::" + Integer.toHexString(tunnelHost)), List.of()), false, false, relayDescriptors()));
            tunnelHost++;
        }
        run(5 * SECOND);
    }

    // Transitions.

    /** The portal grants the client a resource (a policy was added). */
    void grant(UUID resource) {
        note("grant " + portal.resources.get(resource));
        portal.granted.add(resource);
        portal.toClient(new ClientInbound.ResourceCreatedOrUpdated(portal.resources.get(resource).forClient()));
        settle(SETTLE_NANOS);
    }

    /** The portal takes a resource away (its policy was deleted): the client loses it, its gateway rejects access. */
    void revoke(UUID resource) {
        note("revoke " + portal.resources.get(resource));
        portal.granted.remove(resource);
        flowHeld.put(resource, Held.NO);
        portal.toClient(new ClientInbound.ResourceDeleted(resource));
        StubPortal.Authorization authorization = portal.authorizations.remove(resource);
        if (authorization != null) {
            portal.toGateway(authorization.gateway(), new GatewayInbound.RejectAccess(UUID.randomUUID(), CLIENT_ID, resource));
        }
        settle(SETTLE_NANOS);
    }

    /** An administrator changes a resource's filters. */
    void changeFilters(UUID resource, List<Filter> filters) {
        PortalResource changed = portal.resources.get(resource).withFilters(filters);
        note("filters of " + changed);
        portal.resources.put(resource, changed);
        if (portal.granted.contains(resource)) {
            portal.toClient(new ClientInbound.ResourceCreatedOrUpdated(changed.forClient()));
        }
        for (UUID gateway : portal.gatewaysBySite.get(changed.site().id())) {
            portal.toGateway(gateway, new GatewayInbound.ResourceUpdated(changed.forGateway()));
        }
        settle(SETTLE_NANOS);
    }

    /** The application sends one packet; the reply (or refusal) is checked after the world settles. */
    void send(Probe.Protocol protocol, IpAddress destination, int destinationPort) {
        IpAddress source = IpAddress.of(destination.version() == 4 ? CLIENT_TUNNEL_V4 : CLIENT_TUNNEL_V6);
        int sourcePort = nextPort();
        Probe probe = new Probe(nextProbeId++, protocol, source, sourcePort, destination, protocol == Probe.Protocol.ICMP ? sourcePort
                : destinationPort);
        Sent sent = expect(probe);
        note("send " + probe + ", expect " + sent.expect() + (sent.resource() == null ? "" : " via " + sent.resource()));
        probes.put(probe.id(), sent);
        probesThisStep.add(probe.id());
        client.fromApp(probe.packet());
        settle(SETTLE_NANOS);
    }

    /**
     * The application sends one packet to a name it resolved: the {@code index}-th address of the last answer
     * to the {@code type} (A or AAAA) query for it.
     */
    void sendToName(Probe.Protocol protocol, String name, int type, int index, int destinationPort) {
        List<InetAddress> addresses = cachedProxies(name + (type == Type.A ? "/A" : "/AAAA"));
        if (addresses.isEmpty()) {
            throw new IllegalStateException("the application never resolved " + name);
        }
        send(protocol, IpAddress.of(addresses.get(index % addresses.size())), destinationPort);
    }

    /** The application asks a sentinel for the A or AAAA records of a name, over UDP or TCP. */
    void queryDns(String name, int type, DnsTransport transport) {
        if (client.tunConfig == null || client.tunConfig.dnsBySentinel().isEmpty()) {
            violation("no DNS sentinel was published");
            return;
        }
        InetAddress sentinel = client.tunConfig.dnsBySentinel().keySet().stream().sorted((a, b) -> a.getHostAddress().compareTo(b.getHostAddress()))
                .findFirst().orElseThrow();
        int id = nextDnsId++;
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(e);
        }
        query.getHeader().setID(id);
        PortalResource resource = dnsResourceFor(name);
        Expect expect = resource != null ? Expect.REPLY : expectForwarded(transport);
        note("query " + Type.string(type) + " " + name + " over " + transport + ", expect " + expect
                + (resource == null ? "" : ", a name of " + resource));
        dnsQueries.put(id, new Asked(name, type, transport, resource, expect, null));
        queriesThisStep.add(id);
        client.queryDns(query.toWire(), id, new InetSocketAddress(sentinel, 53), transport, nextPort());
        settle(SETTLE_NANOS);
    }

    /** A relay dies and comes back on the same address with a new id and credentials; the portal tells everyone. */
    void restartRelay(int index) {
        RelaySlot old = relays.get(index);
        note("restart relay " + old.relay().listen);
        old.relay().alive = false;
        blur();
        RelaySlot fresh = startRelay((Inet4Address) old.relay().listen.getAddress());
        relays.set(index, fresh);
        ClientInbound.RelaysPresence toClient = new ClientInbound.RelaysPresence(List.of(old.id()), List.of(fresh.descriptor()));
        portal.toClient(toClient);
        gateways.keySet().forEach(gateway -> portal.toGateway(gateway, new GatewayInbound.RelaysPresence(List.of(old.id()),
                List.of(fresh.descriptor()))));
        settle(DISRUPTION_SETTLE_NANOS);
    }

    /** The client's network changes: it resets, binds a new port and joins the portal again (which sends init). */
    void resetClient() {
        note("reset the client");
        flowHeld.clear();
        client.reset();
        portal.toClient(clientInit());
        settle(DISRUPTION_SETTLE_NANOS);
    }

    /** Nothing happens for a while: flows expire (their lifetime is shorter), idle connections keep alive. */
    void idle() {
        note("idle " + IDLE_NANOS / SECOND + " s");
        settle(IDLE_NANOS);
    }

    /** The user switches resources off (or on again). */
    void setDisabled(Set<UUID> resources) {
        note("disable " + resources.stream().map(id -> portal.resources.get(id).toString()).toList());
        disabled.forEach(id -> flowHeld.put(id, Held.NO));
        resources.forEach(id -> flowHeld.put(id, Held.NO));
        disabled.clear();
        disabled.addAll(resources);
        client.state.setDisabledResources(resources, now);
        client.flush();
        settle(SETTLE_NANOS);
    }

    /** The portal's messages to the client are held for a few seconds and then delivered in random order. */
    void reorderPortalMessages() {
        note("hold and shuffle the portal's messages to the client");
        blur();
        portal.holdClient();
        run(3 * SECOND);
        portal.releaseClientShuffled();
        settle(DISRUPTION_SETTLE_NANOS);
    }

    // Running.

    void settle(long duration) {
        run(duration);
    }

    void run(long duration) {
        long deadline = now + duration;
        int busy = 0;
        while (true) {
            long next = nextWakeUp();
            if (next > deadline) {
                now = deadline;
                return;
            }
            busy = next <= now ? busy + 1 : 0;
            if (busy > 100_000) {
                throw new AssertionError("the simulation makes no progress at " + (now - START) / 1e9 + " s");
            }
            now = Math.max(now, next);
            step();
        }
    }

    void schedule(long at, Runnable action) {
        scheduled.add(new Scheduled(at, order++, action));
    }

    private long nextWakeUp() {
        long next = Math.min(network.nextArrival(), scheduled.isEmpty() ? Long.MAX_VALUE : scheduled.peek().at);
        next = Math.min(next, client.pollTimeout());
        for (SimGateway gateway : gateways.values()) {
            next = Math.min(next, gateway.state.pollTimeout());
        }
        for (SiteNetwork site : sites.values()) {
            next = Math.min(next, site.pollTimeout());
        }
        for (RelaySlot slot : relays) {
            next = Math.min(next, slot.relay().pollTimeout());
        }
        return next;
    }

    private void step() {
        network.deliverDue(now);
        while (!scheduled.isEmpty() && scheduled.peek().at <= now) {
            scheduled.poll().action.run();
        }
        if (client.pollTimeout() <= now) {
            client.handleTimeout();
        }
        for (SimGateway gateway : gateways.values()) {
            if (gateway.state.pollTimeout() <= now) {
                gateway.handleTimeout();
            }
        }
        for (SiteNetwork site : sites.values()) {
            if (site.pollTimeout() <= now) {
                site.handleTimeout(now);
            }
        }
        for (RelaySlot slot : relays) {
            if (slot.relay().pollTimeout() <= now) {
                slot.relay().handleTimeout(now);
            }
        }
    }

    // Observations.

    /** A packet the client gave the application. */
    void delivered(IpPacket packet) {
        if (packet.isUdp() && packet.udp().sourcePort() == 53 && client.tunConfig != null
                && client.tunConfig.dnsBySentinel().containsKey(packet.source().toInetAddress())) {
            dnsAnswered(packet);
            return;
        }
        if (isProhibited(packet)) {
            IcmpMessage icmp = packet.icmp();
            long id = icmp.parseQuotedPacket().isValid() ? Probe.idOf(icmp.quotedPacket()) : -1;
            Sent sent = probes.get(id);
            if (sent == null) {
                violation("an ICMP prohibited about no probe reached the application");
            } else if (sent.expect() != Expect.PROHIBITED && sent.expect() != Expect.ANY) {
                violation("probe " + sent.probe() + " was refused by its gateway, expected " + sent.expect());
            }
            prohibited.add(id);
            return;
        }
        long id = Probe.idOf(packet);
        Sent sent = probes.get(id);
        if (sent == null) {
            violation("the application got a packet nobody asked for: " + packet);
            return;
        }
        Probe probe = sent.probe();
        boolean swapped = packet.source().equals(probe.destination()) && packet.destination().equals(probe.source())
                && Probe.protocolOf(packet) == probe.protocol()
                && (probe.protocol() == Probe.Protocol.ICMP ? packet.icmp().identifier() == probe.sourcePort()
                        : packet.sourcePort() == probe.destinationPort() && packet.destinationPort() == probe.sourcePort());
        if (!swapped) {
            violation("the reply to " + probe + " is not its mirror: " + packet);
        }
        if (sent.expect() != Expect.REPLY && sent.expect() != Expect.ANY) {
            violation("probe " + probe + " got a reply, expected " + sent.expect());
        }
        replied.add(id);
    }

    /** A packet reached a site's network through a gateway. */
    void arrived(Arrival arrival) {
        Sent sent = probes.get(arrival.id());
        if (sent == null) {
            violation("a packet reached site " + arrival.site() + " that the application never sent: " + arrival);
            return;
        }
        Probe probe = sent.probe();
        if (sent.expect() != Expect.REPLY && sent.expect() != Expect.ANY) {
            violation("probe " + probe + " reached a site though the policy says " + sent.expect());
        }
        PortalResource resource = sent.resource();
        if (resource == null || !resource.site().id().equals(arrival.site())) {
            violation("probe " + probe + " reached site " + arrival.site() + ", not its resource's");
        }
        if (!arrival.source().equals(IpAddress.of(CLIENT_TUNNEL_V4)) && !arrival.source().equals(IpAddress.of(CLIENT_TUNNEL_V6))) {
            violation("probe " + probe + " reached its site from " + arrival.source() + ", not the client's tunnel address");
        }
        if (resource != null && resource.kind() == PortalResource.Kind.DNS) {
            if (!records.resolve(sent.name()).contains(arrival.destination().toInetAddress())) {
                violation("probe " + probe + " to " + sent.name() + " reached " + arrival.destination() + ", not one of its addresses");
            }
        } else if (!arrival.destination().equals(probe.destination())) {
            violation("probe " + probe + " reached " + arrival.destination() + " instead");
        }
        if (probe.protocol() != Probe.Protocol.ICMP && arrival.destinationPort() != probe.destinationPort()) {
            violation("probe " + probe + " reached port " + arrival.destinationPort());
        }
    }

    void tcpDnsAnswered(TcpDnsClient.Result result) {
        Asked asked = dnsQueries.get(result.id());
        if (asked == null) {
            violation("a TCP DNS answer for no query");
            return;
        }
        if (result.failed()) {
            violation("the TCP DNS query for " + asked.name() + " failed");
            return;
        }
        try {
            answered(result.id(), withAnswer(asked, new Message(result.response())));
        } catch (java.io.IOException e) {
            violation("an unreadable TCP DNS answer for " + asked.name());
        }
    }

    void violation(String text) {
        violations.add(String.format("%.3f s: %s", (now - START) / 1e9, text));
    }

    private void note(String text) {
        log.add(String.format("%.3f s: %s", (now - START) / 1e9, text));
    }

    // Invariants.

    /** Throws with every violation since the last check, the transitions so far, and the probe expectations broken now. */
    void check() {
        for (long id : probesThisStep) {
            Sent sent = probes.get(id);
            boolean gotReply = replied.contains(id);
            boolean gotRefusal = prohibited.contains(id);
            switch (sent.expect()) {
                case REPLY -> {
                    if (!gotReply) {
                        violation("no reply to " + sent.probe() + " via " + sent.resource());
                    }
                }
                case PROHIBITED -> {
                    if (!gotRefusal || gotReply) {
                        violation("probe " + sent.probe() + " was not refused (reply " + gotReply + ") via " + sent.resource());
                    }
                }
                case NOTHING -> {
                    if (gotReply || gotRefusal) {
                        violation("probe " + sent.probe() + " to no resource got an answer");
                    }
                }
                case ANY -> { }
            }
        }
        probesThisStep.clear();
        for (int id : queriesThisStep) {
            checkDnsAnswer(dnsQueries.get(id));
        }
        queriesThisStep.clear();
        checkBounds();
        if (!violations.isEmpty()) {
            String report = "invariants broken:\n  " + String.join("\n  ", violations) + "\ntransitions:\n  " + String.join("\n  ", log);
            violations.clear();
            throw new AssertionError(report);
        }
    }

    private void checkDnsAnswer(Asked asked) {
        Message answer = asked.answer();
        if (answer == null) {
            violation("no answer to the " + asked.transport() + " query for " + Type.string(asked.type()) + " " + asked.name());
            return;
        }
        if (asked.expect() == Expect.ANY || answer.getHeader().getFlag(Flags.TC)) {
            return;
        }
        if (asked.expect() == Expect.PROHIBITED) {
            if (answer.getRcode() != Rcode.SERVFAIL) {
                violation("a query the gateway refuses got " + Rcode.string(answer.getRcode()) + ", not SERVFAIL: " + asked.name());
            }
            return;
        }
        List<InetAddress> addresses = addresses(asked);
        if (asked.resource() != null) {
            boolean ipv4 = asked.type() == Type.A;
            IpNetwork range = ipv4 ? AddressPlan.PROXY_V4 : AddressPlan.PROXY_V6;
            if (answer.getRcode() != Rcode.NOERROR || addresses.size() != 4 || !addresses.stream().allMatch(range::contains)) {
                violation("the answer for " + asked.name() + " is not 4 proxy IPs: " + addresses);
            }
            return;
        }
        if (!records.knows(asked.name())) {
            if (answer.getRcode() != Rcode.NXDOMAIN) {
                violation("an unknown name " + asked.name() + " got " + Rcode.string(answer.getRcode()));
            }
            return;
        }
        List<InetAddress> expected = records.resolve(asked.name()).stream()
                .filter(ip -> (ip instanceof Inet4Address) == (asked.type() == Type.A)).toList();
        if (!new HashSet<>(addresses).equals(new HashSet<>(expected))) {
            violation("the answer for " + asked.name() + " is " + addresses + ", the records say " + expected);
        }
    }

    private void checkBounds() {
        int resources = portal.resources.size();
        Map<String, Integer> sizes = client.state.tableSizes();
        Map<String, Integer> bounds = Map.of("pendingFlows", resources, "packetsAwaitingFlows", 128 * resources,
                "dnsNatNames", 64, "packetsAwaitingDnsNat", 32 * 64, "forwardedDnsQueries", 1000, "tcpDnsServerConnections", 20,
                "tcpDnsUpstreamQueries", 1000, "connections", gateways.size(), "gatewayPeers", gateways.size(), "tunQueue", 4096);
        bounds.forEach((table, bound) -> {
            if (sizes.getOrDefault(table, 0) > bound) {
                violation("the client's " + table + " holds " + sizes.get(table) + " > " + bound);
            }
        });
        for (SimGateway gateway : gateways.values()) {
            if (gateway.state.access().clientCount() > 1 || gateway.state.connectionCount() > 1
                    || gateway.state.access().pendingResolutions() > 1000) {
                violation("gateway " + gateway.id + " holds more than one client's worth of state");
            }
        }
    }

    // The model.

    private Sent expect(Probe probe) {
        String name = nameByProxy.get(probe.destination());
        PortalResource resource;
        if (name != null) {
            resource = dnsResourceFor(name);
        } else if (AddressPlan.isProxyAddress(probe.destination().toInetAddress())) {
            resource = null;
        } else {
            resource = portal.resources.values().stream().filter(this::active)
                    .filter(r -> r.kind() == PortalResource.Kind.CIDR && IpNetwork.parse(r.address()).contains(probe.destination().toInetAddress()))
                    .findFirst()
                    .orElse(portal.resources.values().stream().filter(this::active).filter(r -> r.kind() == PortalResource.Kind.INTERNET)
                            .findFirst().orElse(null));
        }
        if (resource == null) {
            return new Sent(probe, Expect.NOTHING, null, name);
        }
        return new Sent(probe, expectThrough(resource, probe), resource, name);
    }

    /**
     * What a packet to an active resource gets: refused when its filters deny it, or when the gateway let the
     * client's flow expire and the client still uses that flow (it then asks for a new one); otherwise the reply.
     */
    private Expect expectThrough(PortalResource resource, Probe probe) {
        Held held = flowHeld.getOrDefault(resource.id(), Held.NO);
        if (!Resources.permits(resource.filters(), probe)) {
            // The refusal makes the client ask for the flow again.
            flowHeld.put(resource.id(), Held.NO);
            return Expect.PROHIBITED;
        }
        StubPortal.Authorization authorization = portal.authorizations.get(resource.id());
        long left = authorization == null ? Long.MAX_VALUE : authorization.expiresAtSeconds() - utcSeconds();
        if (left > 1 || held == Held.NO) {
            return Expect.REPLY;
        }
        flowHeld.put(resource.id(), Held.UNKNOWN);
        // A DNS resource's first packet after the expiry may ask for its NAT again instead (refused: a new flow).
        if (left <= -1 && held == Held.YES && resource.kind() != PortalResource.Kind.DNS) {
            flowHeld.put(resource.id(), Held.NO);
            return Expect.PROHIBITED;
        }
        return Expect.ANY;
    }

    /**
     * A query the stub resolver forwards: through the tunnel when the portal's upstream sits behind an active
     * CIDR resource, or the Internet resource is active; otherwise through the host.
     */
    private Expect expectForwarded(DnsTransport transport) {
        if (portalUpstreams.isEmpty()) {
            return Expect.REPLY;
        }
        PortalResource through = portal.resources.values().stream().filter(this::active)
                .filter(r -> r.address().equals("10.1.53.0/24")).findFirst()
                .orElse(portal.resources.values().stream().filter(this::active).filter(r -> r.kind() == PortalResource.Kind.INTERNET)
                        .findFirst().orElse(null));
        if (through == null) {
            return Expect.REPLY;
        }
        Probe query = new Probe(0, transport == DnsTransport.UDP ? Probe.Protocol.UDP : Probe.Protocol.TCP, null, 0, null, 53);
        return expectThrough(through, query);
    }

    /** After a disruption the model no longer knows which flows the client kept. */
    private void blur() {
        flowHeld.replaceAll((resource, held) -> held == Held.YES ? Held.UNKNOWN : held);
    }

    /** The id of the resource with this address (a network, a pattern, or {@code internet}). */
    UUID resource(String address) {
        return portal.resources.values().stream().filter(resource -> resource.address().equals(address)).findFirst().orElseThrow().id();
    }

    /** The granted, enabled DNS resource whose pattern covers the name, the most specific first. */
    PortalResource dnsResourceFor(String name) {
        return portal.resources.values().stream().filter(this::active).filter(r -> r.kind() == PortalResource.Kind.DNS)
                .filter(r -> Resources.patternMatches(r.address(), name)).findFirst().orElse(null);
    }

    boolean active(PortalResource resource) {
        return portal.granted.contains(resource.id()) && !disabled.contains(resource.id());
    }

    /** The id of the last probe the application sent. */
    long lastProbe() {
        return nextProbeId - 1;
    }

    boolean replied(long probe) {
        return replied.contains(probe);
    }

    boolean refused(long probe) {
        return prohibited.contains(probe);
    }

    /** Names and destinations the application can use now, for generating transitions. */
    List<String> cachedNames() {
        return proxiesByName.keySet().stream().sorted().toList();
    }

    List<InetAddress> cachedProxies(String key) {
        return proxiesByName.getOrDefault(key, List.of());
    }

    // Helpers.

    private void dnsAnswered(IpPacket packet) {
        byte[] bytes = new byte[packet.udp().payloadLength()];
        packet.buffer().get(packet.udp().payloadIndex(), bytes);
        Message message;
        try {
            message = new Message(bytes);
        } catch (java.io.IOException e) {
            violation("an unreadable UDP DNS answer");
            return;
        }
        Asked asked = dnsQueries.get(message.getHeader().getID());
        if (asked == null) {
            violation("a DNS answer to no query: id " + message.getHeader().getID());
            return;
        }
        answered(message.getHeader().getID(), withAnswer(asked, message));
    }

    /** Records an answer; the proxy IPs of a resource name become the application's, and must never change. */
    private void answered(int id, Asked asked) {
        dnsQueries.put(id, asked);
        Message answer = asked.answer();
        if (asked.resource() == null || answer.getRcode() != Rcode.NOERROR) {
            return;
        }
        List<InetAddress> addresses = addresses(asked);
        String key = asked.name() + (asked.type() == Type.A ? "/A" : "/AAAA");
        List<InetAddress> earlier = proxiesByName.putIfAbsent(key, addresses);
        if (earlier != null && !earlier.equals(addresses)) {
            violation("the proxy IPs of " + asked.name() + " changed from " + earlier + " to " + addresses);
        }
        addresses.forEach(address -> nameByProxy.put(IpAddress.of(address), asked.name()));
    }

    private static List<InetAddress> addresses(Asked asked) {
        return asked.answer().getSection(Section.ANSWER).stream()
                .filter(record -> record.getType() == asked.type())
                .map(record -> record instanceof org.xbill.DNS.ARecord a ? a.getAddress() : ((org.xbill.DNS.AAAARecord) record).getAddress())
                .toList();
    }

    private static Asked withAnswer(Asked asked, Message answer) {
        return new Asked(asked.name(), asked.type(), asked.transport(), asked.resource(), asked.expect(), answer);
    }

    ClientInbound.Init clientInit() {
        return new ClientInbound.Init(new Interface(CLIENT_TUNNEL_V4, CLIENT_TUNNEL_V6, portalUpstreams),
                portal.granted.stream().map(id -> portal.resources.get(id).forClient()).toList(), relayDescriptors());
    }

    private List<Relay> relayDescriptors() {
        return relays.stream().map(slot -> (Relay) slot.descriptor()).toList();
    }

    private RelaySlot startRelay(Inet4Address ip) {
        UUID id = new UUID(0x7e1a, random.nextLong());
        SimRelay relay = new SimRelay(id.toString(), ip, network, random.split(), WALL_CLOCK, START);
        var credentials = relay.credentialsFor(random.split()).credentials();
        long expires = WALL_CLOCK.getEpochSecond() + 86_400;
        return new RelaySlot(id, relay, new Relay.Turn(id, relay.listen, credentials.username(), credentials.password(), expires));
    }

    SimGateway gateway(UUID id) {
        return gateways.get(id);
    }

    SiteNetwork site(UUID id) {
        return sites.get(id);
    }

    Site siteOf(UUID id) {
        return new Site(id, "site-" + id.getLeastSignificantBits());
    }

    Instant utc() {
        return WALL_CLOCK.plusNanos(now - START);
    }

    long utcSeconds() {
        return utc().getEpochSecond();
    }

    private int nextPort() {
        nextPort = nextPort >= 60_000 ? 20_000 : nextPort + 1;
        return nextPort;
    }

    static boolean isProhibited(IpPacket packet) {
        if (packet.isIcmpv4()) {
            return packet.icmpv4().type() == 3 && packet.icmpv4().code() == 13;
        }
        return packet.isIcmpv6() && packet.icmpv6().type() == 1 && packet.icmpv6().code() == 1;
    }

    static IpPacket parse(byte[] bytes) {
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);
        return packet.wrap(ByteBuffer.wrap(bytes), 0, bytes.length).isValid() ? packet : null;
    }

    static Inet4Address ipv4(String literal) {
        return IpLiterals.parseIpv4(literal);
    }
}
