package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.control.ControlCodec;
import dev.zonewire.tunnel.control.ControlEvent;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.GatewayInbound;
import dev.zonewire.tunnel.messages.GatewayOutbound;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.ResolveRequest;
import dev.zonewire.tunnel.net.AddressKeyMap;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.NetworkBits;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's policy state, sans-IO (tunnel.md §4): which clients may reach which resources until when,
 * through which filters, and the DNS-resource NAT. It takes the portal's access messages, the control
 * protocol and packet addressing; it emits name resolutions to run ({@link #pollResolve}), control replies
 * ({@link #pollControlReply}) and verdicts. The snownet connection of each client is the caller's.
 *
 * <p>Every second (driven by {@link #handleTimeout}) expired access is removed, NAT sessions age, and
 * names whose real IPs went silent are resolved again.
 */
public final class GatewayAccess {
    public static final long TICK_NANOS = 1_000_000_000L;
    public static final long RESOLUTION_TIMEOUT_NANOS = 10_000_000_000L;
    public static final int MAX_PENDING_RESOLUTIONS = 1000;
    private static final int ICMP_ERRORS_PER_SECOND = 10;
    private static final NetworkBits PEERS_V4 = NetworkBits.of(AddressPlan.PEERS_V4);
    private static final NetworkBits PEERS_V6 = NetworkBits.of(AddressPlan.PEERS_V6);

    private final Map<UUID, ClientOnGateway> clients = new LinkedHashMap<>();
    private final AddressKeyMap<ClientOnGateway> byTunnelAddress = new AddressKeyMap<>();
    /** Insertion order is deadline order: every resolution gets the same time. */
    private final LinkedHashMap<Long, PendingResolution> resolutions = new LinkedHashMap<>();
    private final ArrayDeque<Resolve> resolves = new ArrayDeque<>();
    private final ArrayDeque<ControlReply> controlReplies = new ArrayDeque<>();
    private final long[] drops = new long[DropReason.values().length];
    private final long[] counters = new long[GatewayCounter.values().length];
    /**
     * Per client, so that one client's denied packets cannot use up the answers another needs to recover (an
     * expired client is unknown here, so the key is its id). One entry per client id until its connection goes.
     */
    private final Map<UUID, IcmpBudget> icmpBudgets = new HashMap<>();
    private long nextResolutionId;
    private long nextTickNanos;

    public GatewayAccess(long nowNanos) {
        this.nextTickNanos = nowNanos + TICK_NANOS;
    }

    /** A name to resolve with the system resolver (both families, IPv6 first); answer with {@link #handleResolved}. */
    public record Resolve(long id, String name) {}

    /** A control-protocol payload to send to one client through its tunnel. */
    public record ControlReply(UUID clientId, byte[] payload) {}

    // Portal messages.

    /** 1.4 flow: grants access (the caller upserts the connection with both credential sets) and returns the reply to send. */
    public GatewayOutbound.FlowAuthorized authorizeFlow(GatewayInbound.AuthorizeFlow flow, long nowNanos) {
        allow(flow.client().id(), flow.client().ipv4(), flow.client().ipv6(), flow.resource(), flow.expiresAt());
        return new GatewayOutbound.FlowAuthorized(flow.ref());
    }

    /** Legacy: access for a client of an existing connection, with the DNS NAT hint if any. */
    public void allowAccess(GatewayInbound.AllowAccess allow, long nowNanos) {
        allow(allow.clientId(), allow.clientIpv4(), allow.clientIpv6(), allow.resource(), allow.expiresAt());
        if (allow.payload() != null) {
            resolveForNat(allow.clientId(), allow.resource().id(), allow.payload(), false, nowNanos);
        }
    }

    /** Legacy: the access part of a new connection (the caller accepts the offer and sends connection_ready). */
    public void requestConnection(GatewayInbound.RequestConnection request, long nowNanos) {
        GatewayInbound.LegacyClient client = request.client();
        allow(client.id(), client.peer().ipv4(), client.peer().ipv6(), request.resource(), request.expiresAt());
        if (client.domain() != null) {
            resolveForNat(client.id(), request.resource().id(), client.domain(), false, nowNanos);
        }
    }

    public void rejectAccess(GatewayInbound.RejectAccess reject) {
        ClientOnGateway client = clients.get(reject.clientId());
        if (client == null) {
            return;
        }
        client.removeResource(reject.resourceId());
        if (client.isEmpty()) {
            removeClient(reject.clientId());
        }
    }

    public void resourceUpdated(GatewayInbound.ResourceUpdated update) {
        for (ClientOnGateway client : clients.values()) {
            if (client.holds(update.resource().id()) && !client.updateResource(update.resource())) {
                increment(GatewayCounter.RESOURCE_KIND_CHANGES_IGNORED);
            }
        }
    }

    /** Forgets a client, e.g. when its connection failed or closed. */
    public void removeClient(UUID clientId) {
        ClientOnGateway client = clients.remove(clientId);
        if (client != null) {
            unindex(client);
        }
        icmpBudgets.remove(clientId);
    }

    // Name resolution.

    public Resolve pollResolve() {
        return resolves.poll();
    }

    /** The system resolver's answer for {@link Resolve#id()}; an empty list when it failed. */
    public void handleResolved(long id, List<InetAddress> addresses, long nowNanos) {
        PendingResolution pending = resolutions.remove(id);
        if (pending != null) {
            finish(pending, addresses, nowNanos);
        }
    }

    // Control protocol.

    /** A control-protocol payload from a client, already decrypted and recognised by the packet layer. */
    public void handleControl(UUID clientId, byte[] payload, long nowNanos) {
        switch (ControlCodec.decode(payload)) {
            case Decoded.Message<ControlEvent>(ControlEvent.AssignedIps assigned) -> {
                ClientOnGateway client = clients.get(clientId);
                if (client == null || !client.holds(assigned.resource())) {
                    replyStatus(clientId, assigned.resource(), assigned.domain(), ControlEvent.NatStatus.INACTIVE);
                    return;
                }
                resolveForNat(clientId, assigned.resource(), new ResolveRequest(assigned.domain(), assigned.proxyIps()), true, nowNanos);
            }
            case Decoded.Message<ControlEvent>(ControlEvent.DomainStatus status) -> increment(GatewayCounter.CONTROL_UNEXPECTED);
            case Decoded.UnknownEvent<ControlEvent> unknown -> increment(GatewayCounter.CONTROL_UNKNOWN);
            case Decoded.Malformed<ControlEvent> malformed -> increment(GatewayCounter.CONTROL_MALFORMED);
        }
    }

    public ControlReply pollControlReply() {
        return controlReplies.poll();
    }

    // Packets.

    /**
     * The verdict on a packet that arrived through the tunnel from {@code clientId}; a forwarded packet has
     * been rewritten in place (see {@link ClientOnGateway#outbound}). Drops are counted; an answer is
     * granted for the reasons that call for one, never about an ICMP error, at most
     * {@value #ICMP_ERRORS_PER_SECOND} per second per client.
     */
    public Verdict outbound(UUID clientId, IpPacket packet, long nowNanos) {
        ClientOnGateway client = clients.get(clientId);
        DropReason reason = client == null ? DropReason.UNKNOWN_CLIENT : client.outbound(packet, nowNanos);
        if (reason == null) {
            return Verdict.FORWARD;
        }
        drops[reason.ordinal()]++;
        // Never answer an ICMP error with another (RFC 1122 §3.2.2).
        boolean wantsAnswer = reason.answerProhibited() && TransportProtocol.of(packet) != TransportProtocol.ICMP_OTHER;
        return wantsAnswer && takeIcmpBudget(clientId, nowNanos) ? Verdict.ANSWER_PROHIBITED : Verdict.DROP;
    }

    /**
     * The client a packet from the resource network goes to, after reverse NAT in place (tunnel.md §4.7: no
     * filter applies in this direction), or null when it is dropped (and counted).
     */
    public ClientOnGateway inbound(IpPacket packet, long nowNanos) {
        int version = packet.version();
        long high = Addresses.destinationHigh(packet);
        long low = Addresses.destinationLow(packet);
        if (!PEERS_V4.contains(version, high, low) && !PEERS_V6.contains(version, high, low)) {
            return drop(DropReason.NOT_A_PEER_ADDRESS);
        }
        ClientOnGateway client = byTunnelAddress.get(AddressKeyMap.tag(version), high, low);
        if (client == null) {
            return drop(DropReason.UNKNOWN_CLIENT);
        }
        DropReason reason = client.inbound(packet, nowNanos);
        return reason == null ? client : drop(reason);
    }

    // Time.

    public void handleTimeout(long nowNanos, Instant utcNow) {
        expireResolutions(nowNanos);
        if (nowNanos - nextTickNanos < 0) {
            return;
        }
        nextTickNanos = nowNanos + TICK_NANOS;
        Iterator<ClientOnGateway> each = clients.values().iterator();
        while (each.hasNext()) {
            ClientOnGateway client = each.next();
            counters[GatewayCounter.ACCESS_EXPIRED.ordinal()] += client.expireResources(utcNow).size();
            client.handleTimeout(nowNanos);
            for (RefreshDns refresh = client.pollRefresh(); refresh != null; refresh = client.pollRefresh()) {
                startResolution(new PendingResolution(refresh.clientId(), refresh.resourceId(), refresh.name(), null, Purpose.REFRESH, 0), nowNanos);
            }
            if (client.isEmpty()) {
                each.remove();
                unindex(client);
            }
        }
    }

    /** The next instant {@link #handleTimeout} has work. */
    public long pollTimeout() {
        long next = nextTickNanos;
        if (!resolutions.isEmpty()) {
            long deadline = resolutions.firstEntry().getValue().deadlineNanos();
            next = deadline - next < 0 ? deadline : next;
        }
        return next;
    }

    public ClientOnGateway client(UUID clientId) {
        return clients.get(clientId);
    }

    public int clientCount() {
        return clients.size();
    }

    public int pendingResolutions() {
        return resolutions.size();
    }

    public long dropped(DropReason reason) {
        return drops[reason.ordinal()];
    }

    public long count(GatewayCounter counter) {
        return counters[counter.ordinal()];
    }

    private void allow(UUID clientId, Inet4Address ipv4, Inet6Address ipv6, GatewayResource resource, Long expiresAt) {
        ClientOnGateway client = clients.computeIfAbsent(clientId, id -> new ClientOnGateway(id, ipv4, ipv6));
        client.addResource(resource, expiresAt);
        index(client.ipv4(), client);
        index(client.ipv6(), client);
    }

    private void index(InetAddress tunnelAddress, ClientOnGateway client) {
        var address = Addresses.of(tunnelAddress);
        byTunnelAddress.put(AddressKeyMap.tag(address.version()), Addresses.high(address), Addresses.low(address), client);
    }

    private void unindex(ClientOnGateway client) {
        for (InetAddress tunnelAddress : List.of(client.ipv4(), client.ipv6())) {
            var address = Addresses.of(tunnelAddress);
            int tag = AddressKeyMap.tag(address.version());
            if (byTunnelAddress.get(tag, Addresses.high(address), Addresses.low(address)) == client) {
                byTunnelAddress.remove(tag, Addresses.high(address), Addresses.low(address));
            }
        }
    }

    private void resolveForNat(UUID clientId, UUID resourceId, ResolveRequest request, boolean forControl, long nowNanos) {
        Purpose purpose = forControl ? Purpose.CONTROL : Purpose.NAT;
        startResolution(new PendingResolution(clientId, resourceId, request.name(), request.proxyIps(), purpose, 0), nowNanos);
    }

    private void startResolution(PendingResolution request, long nowNanos) {
        if (request.purpose() == Purpose.REFRESH && resolutions.values().stream().anyMatch(request::sameRefresh)) {
            return;
        }
        if (resolutions.size() >= MAX_PENDING_RESOLUTIONS) {
            increment(GatewayCounter.RESOLUTIONS_DROPPED);
            return;
        }
        long id = nextResolutionId++;
        resolutions.put(id, request.withDeadline(nowNanos + RESOLUTION_TIMEOUT_NANOS));
        resolves.add(new Resolve(id, request.name()));
    }

    private void expireResolutions(long nowNanos) {
        Iterator<PendingResolution> oldestFirst = resolutions.values().iterator();
        while (oldestFirst.hasNext()) {
            PendingResolution pending = oldestFirst.next();
            if (pending.deadlineNanos() - nowNanos > 0) {
                return;
            }
            oldestFirst.remove();
            increment(GatewayCounter.RESOLUTION_TIMEOUTS);
            finish(pending, List.of(), nowNanos);
        }
    }

    private void finish(PendingResolution pending, List<InetAddress> addresses, long nowNanos) {
        ClientOnGateway client = clients.get(pending.clientId());
        NatSetup outcome;
        if (client == null) {
            outcome = NatSetup.UNKNOWN_RESOURCE;
        } else if (pending.purpose() == Purpose.REFRESH) {
            outcome = client.refreshTranslation(pending.name(), pending.resourceId(), addresses, nowNanos);
        } else {
            outcome = client.setupNat(pending.name(), pending.resourceId(), addresses, pending.proxyIps(), nowNanos);
        }
        if (outcome != NatSetup.ACTIVE) {
            increment(GatewayCounter.NAT_SETUPS_REFUSED);
        }
        if (pending.purpose() == Purpose.CONTROL) {
            replyStatus(pending.clientId(), pending.resourceId(), pending.name(),
                    outcome == NatSetup.ACTIVE ? ControlEvent.NatStatus.ACTIVE : ControlEvent.NatStatus.INACTIVE);
        }
    }

    private void replyStatus(UUID clientId, UUID resourceId, String domain, ControlEvent.NatStatus status) {
        controlReplies.add(new ControlReply(clientId, ControlCodec.encode(new ControlEvent.DomainStatus(resourceId, domain, status))));
    }

    private boolean takeIcmpBudget(UUID clientId, long nowNanos) {
        IcmpBudget budget = icmpBudgets.get(clientId);
        if (budget == null) {
            icmpBudgets.put(clientId, budget = new IcmpBudget(nowNanos));
        }
        boolean granted = budget.take(nowNanos);
        increment(granted ? GatewayCounter.ICMP_ERRORS_SENT : GatewayCounter.ICMP_ERRORS_SUPPRESSED);
        return granted;
    }

    /** A token bucket of {@value #ICMP_ERRORS_PER_SECOND} answers per second. */
    private static final class IcmpBudget {
        private double tokens = ICMP_ERRORS_PER_SECOND;
        private long updatedAtNanos;

        IcmpBudget(long nowNanos) {
            this.updatedAtNanos = nowNanos;
        }

        boolean take(long nowNanos) {
            tokens = Math.min(ICMP_ERRORS_PER_SECOND, tokens + (nowNanos - updatedAtNanos) * ICMP_ERRORS_PER_SECOND / 1e9);
            updatedAtNanos = nowNanos;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private ClientOnGateway drop(DropReason reason) {
        drops[reason.ordinal()]++;
        return null;
    }

    private void increment(GatewayCounter counter) {
        counters[counter.ordinal()]++;
    }

    private enum Purpose {
        /** The NAT hint of a legacy request or allow_access. */
        NAT,
        /** assigned_ips of the control protocol: answer with domain_status. */
        CONTROL,
        /** A silent name: resolve again and move its translations if the answer changed. */
        REFRESH
    }

    private record PendingResolution(UUID clientId, UUID resourceId, String name, List<InetAddress> proxyIps, Purpose purpose,
                                     long deadlineNanos) {
        PendingResolution withDeadline(long deadline) {
            return new PendingResolution(clientId, resourceId, name, proxyIps, purpose, deadline);
        }

        boolean sameRefresh(PendingResolution other) {
            return purpose == other.purpose && clientId.equals(other.clientId) && resourceId.equals(other.resourceId) && name.equals(other.name);
        }
    }
}
