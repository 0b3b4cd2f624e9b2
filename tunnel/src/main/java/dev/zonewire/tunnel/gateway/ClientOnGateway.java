package dev.zonewire.tunnel.gateway;

import dev.zonewire.tunnel.dns.DomainPattern;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpNetwork;
import dev.zonewire.tunnel.net.PrefixTable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One client as the gateway knows it (tunnel.md §4.3): its tunnel addresses (the only sources it may
 * use), the resources it was granted with their expiry, the filters they add up to, and for DNS
 * resources the translations proxy IP → real IP and the NAT sessions. Time is passed in: monotonic
 * nanoseconds for traffic, UTC for access expiry.
 */
public final class ClientOnGateway {
    private final UUID id;
    private final Inet4Address ipv4;
    private final Inet6Address ipv6;
    private final Map<UUID, Granted> resources = new LinkedHashMap<>();
    private final Map<InetAddress, TranslationState> translations = new HashMap<>();
    private final NatTable nat;
    private final ArrayDeque<RefreshDns> refreshes = new ArrayDeque<>();
    private PrefixTable<FilterEngine> filters = new PrefixTable<>();
    private boolean holdsInternet;

    public ClientOnGateway(UUID id, Inet4Address ipv4, Inet6Address ipv6) {
        this(id, ipv4, ipv6, NatTable.DEFAULT_MAX_SESSIONS);
    }

    ClientOnGateway(UUID id, Inet4Address ipv4, Inet6Address ipv6, int maxNatSessions) {
        this.id = Objects.requireNonNull(id, "id");
        this.ipv4 = Objects.requireNonNull(ipv4, "ipv4");
        this.ipv6 = Objects.requireNonNull(ipv6, "ipv6");
        this.nat = new NatTable(maxNatSessions);
    }

    public UUID id() {
        return id;
    }

    public Inet4Address ipv4() {
        return ipv4;
    }

    public Inet6Address ipv6() {
        return ipv6;
    }

    /**
     * Grants {@code resource} until {@code expiresAtUnixSeconds} (null: no expiry). A resource already held
     * only takes the new filters; its expiry and translations stay.
     */
    public void addResource(GatewayResource resource, Long expiresAtUnixSeconds) {
        Granted existing = resources.get(resource.id());
        if (existing == null) {
            resources.put(resource.id(), new Granted(resource, expiresAtUnixSeconds));
        } else if (sameKind(existing.resource, resource)) {
            existing.resource = resource;
        }
        recomputeFilters();
    }

    /** New filters for a resource the client holds; false (and no change) when the kind differs or it is not held. */
    public boolean updateResource(GatewayResource resource) {
        Granted existing = resources.get(resource.id());
        if (existing == null || !sameKind(existing.resource, resource)) {
            return false;
        }
        existing.resource = resource;
        recomputeFilters();
        return true;
    }

    public void removeResource(UUID resourceId) {
        if (resources.remove(resourceId) != null) {
            translations.values().removeIf(state -> state.resourceId.equals(resourceId));
            recomputeFilters();
        }
    }

    public boolean holds(UUID resourceId) {
        return resources.containsKey(resourceId);
    }

    public boolean isEmpty() {
        return resources.isEmpty();
    }

    public Set<UUID> resourceIds() {
        return Set.copyOf(resources.keySet());
    }

    /** Drops every resource whose expiry is at or before {@code now}; returns the ids dropped. */
    public List<UUID> expireResources(Instant now) {
        List<UUID> expired = new ArrayList<>();
        resources.values().removeIf(granted -> {
            boolean over = granted.expiresAtUnixSeconds != null && granted.expiresAtUnixSeconds <= now.getEpochSecond();
            if (over) {
                expired.add(granted.resource.id());
            }
            return over;
        });
        if (!expired.isEmpty()) {
            translations.values().removeIf(state -> expired.contains(state.resourceId));
            recomputeFilters();
        }
        return expired;
    }

    /**
     * Maps the client's {@code proxyIps} for {@code name} to {@code resolved} (tunnel.md §4.5.2): per family
     * in order, cycling through that family's real IPs, or the other family's when it has none (then the
     * packets are translated between IPv4 and IPv6). An empty resolution maps nothing.
     */
    public NatSetup setupNat(String name, UUID resourceId, List<InetAddress> resolved, List<InetAddress> proxyIps, long nowNanos) {
        Granted granted = resources.get(resourceId);
        if (granted == null) {
            return NatSetup.UNKNOWN_RESOURCE;
        }
        if (!(granted.resource instanceof GatewayResource.Dns dns)) {
            return NatSetup.NOT_A_DNS_RESOURCE;
        }
        if (!matches(dns.address(), name)) {
            return NatSetup.NAME_OUTSIDE_RESOURCE;
        }
        if (!proxyIps.stream().allMatch(AddressPlan::isProxyAddress)) {
            return NatSetup.NOT_A_PROXY_ADDRESS;
        }
        List<InetAddress> realIpv4 = resolved.stream().filter(ip -> ip instanceof Inet4Address).toList();
        List<InetAddress> realIpv6 = resolved.stream().filter(ip -> ip instanceof Inet6Address).toList();
        List<InetAddress> forIpv4 = realIpv4.isEmpty() ? realIpv6 : realIpv4;
        List<InetAddress> forIpv6 = realIpv6.isEmpty() ? realIpv4 : realIpv6;
        int ipv4Index = 0;
        int ipv6Index = 0;
        for (InetAddress proxy : proxyIps) {
            List<InetAddress> targets = proxy instanceof Inet4Address ? forIpv4 : forIpv6;
            if (targets.isEmpty()) {
                continue;
            }
            int index = proxy instanceof Inet4Address ? ipv4Index++ : ipv6Index++;
            translations.put(proxy, new TranslationState(resourceId, name, targets.get(index % targets.size()), nowNanos));
        }
        granted.resolved.put(name, List.copyOf(resolved));
        recomputeFilters();
        return NatSetup.ACTIVE;
    }

    /** A new resolution of a name that went silent; a changed set of real IPs gets fresh translations on the same proxy IPs. */
    public NatSetup refreshTranslation(String name, UUID resourceId, List<InetAddress> resolved, long nowNanos) {
        List<InetAddress> proxies = new ArrayList<>();
        Set<InetAddress> current = new HashSet<>();
        translations.forEach((proxy, state) -> {
            if (state.resourceId.equals(resourceId) && state.name.equals(name)) {
                proxies.add(proxy);
                current.add(state.realIp);
            }
        });
        if (current.equals(new HashSet<>(resolved))) {
            // Same answer: restart the silence clock, so a silent name is re-resolved once per window, not every second.
            for (InetAddress proxy : proxies) {
                TranslationState old = translations.get(proxy);
                translations.put(proxy, new TranslationState(resourceId, name, old.realIp, nowNanos));
            }
            return NatSetup.ACTIVE;
        }
        proxies.sort(ClientOnGateway::ipv4First);
        return setupNat(name, resourceId, resolved, proxies, nowNanos);
    }

    /**
     * The verdict on a packet from this client towards the resource network (tunnel.md §4.7): source
     * check, filter check on the original destination, then NAT for proxy IPs.
     */
    public Verdict outbound(Flow flow, long nowNanos) {
        if (!flow.source().equals(ipv4) && !flow.source().equals(ipv6)) {
            return new Verdict.Drop(DropReason.SOURCE_NOT_ALLOWED);
        }
        if (!allowed(flow)) {
            return new Verdict.Drop(DropReason.DESTINATION_NOT_ALLOWED);
        }
        TranslationState translation = translations.get(flow.destination());
        if (translation == null) {
            return new Verdict.Forward(flow);
        }
        if (!flow.protocol().hasPortOrIdentifier()) {
            return new Verdict.Drop(DropReason.UNTRANSLATABLE_PROTOCOL);
        }
        int port = nat.translateOutgoing(flow.protocol(), flow.sourcePort(), flow.destination(), translation.realIp, nowNanos);
        if (port < 0) {
            return new Verdict.Drop(DropReason.NAT_EXHAUSTED);
        }
        translation.onOutgoing(nowNanos);
        InetAddress source = translation.realIp instanceof Inet4Address ? ipv4 : ipv6;
        int destinationPort = flow.protocol() == TransportProtocol.ICMP_ECHO ? port : flow.destinationPort();
        return new Verdict.Forward(new Flow(flow.protocol(), source, port, translation.realIp, destinationPort));
    }

    /**
     * A packet from the resource network to this client: a reply on a NAT session gets the proxy IP as
     * its source and the client's own port back; anything else passes unchanged (CIDR and Internet traffic).
     */
    public Flow inbound(Flow flow, long nowNanos) {
        if (!flow.protocol().hasPortOrIdentifier()) {
            return flow;
        }
        NatTable.Key inside = nat.translateIncoming(flow.protocol(), flow.destinationPort(), flow.source(), nowNanos);
        if (inside == null) {
            return flow;
        }
        TranslationState translation = translations.get(inside.address());
        if (translation != null) {
            translation.onIncoming(nowNanos);
        }
        InetAddress destination = inside.address() instanceof Inet4Address ? ipv4 : ipv6;
        int sourcePort = flow.protocol() == TransportProtocol.ICMP_ECHO ? inside.port() : flow.sourcePort();
        return new Flow(flow.protocol(), inside.address(), sourcePort, destination, inside.port());
    }

    /** The per-second work: NAT sessions expire, and names whose real IPs all went silent are queued for re-resolution. */
    public void handleTimeout(long nowNanos) {
        Set<RefreshDns> due = new LinkedHashSet<>();
        for (TranslationState state : translations.values()) {
            if (state.isExpired(nowNanos) && allSilent(state.resourceId, state.name, nowNanos)) {
                due.add(new RefreshDns(id, state.resourceId, state.name));
            }
        }
        refreshes.addAll(due);
        nat.handleTimeout(nowNanos);
    }

    public RefreshDns pollRefresh() {
        return refreshes.poll();
    }

    int natSessions() {
        return nat.size();
    }

    /** The real IP a proxy IP currently points at, or null. */
    public InetAddress translationOf(InetAddress proxyIp) {
        TranslationState state = translations.get(proxyIp);
        return state == null ? null : state.realIp;
    }

    private boolean allowed(Flow flow) {
        if (holdsInternet && !AddressPlan.isProxyAddress(flow.destination())) {
            return true;
        }
        FilterEngine engine = filters.lookup(flow.destination());
        return engine != null && engine.allows(flow.protocol(), flow.destinationPort());
    }

    private boolean allSilent(UUID resourceId, String name, long nowNanos) {
        return translations.values().stream()
                .filter(state -> state.resourceId.equals(resourceId) && state.name.equals(name))
                .allMatch(state -> state.silentFor(nowNanos));
    }

    /**
     * Rebuilds the filter table: a CIDR network takes the filters of every resource whose addresses
     * contain it (so the Internet resource's empty list opens it fully); a proxy IP takes its DNS resource's.
     */
    private void recomputeFilters() {
        PrefixTable<FilterEngine> rebuilt = new PrefixTable<>();
        for (Granted granted : resources.values()) {
            if (granted.resource instanceof GatewayResource.Cidr cidr) {
                List<List<Filter>> contributing = new ArrayList<>();
                for (Granted other : resources.values()) {
                    if (other.networks().stream().anyMatch(network -> network.contains(cidr.address()))) {
                        contributing.add(other.resource.filters());
                    }
                }
                rebuilt.put(cidr.address(), FilterEngine.of(contributing));
            }
        }
        translations.forEach((proxy, state) -> {
            Granted granted = resources.get(state.resourceId);
            if (granted != null) {
                rebuilt.put(IpNetwork.host(proxy), FilterEngine.of(List.of(granted.resource.filters())));
            }
        });
        filters = rebuilt;
        holdsInternet = resources.values().stream().anyMatch(granted -> granted.resource instanceof GatewayResource.Internet);
    }

    private static boolean matches(String pattern, String name) {
        try {
            return DomainPattern.parse(pattern).matches(name);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean sameKind(GatewayResource a, GatewayResource b) {
        return a.getClass() == b.getClass();
    }

    private static int ipv4First(InetAddress a, InetAddress b) {
        return Boolean.compare(a instanceof Inet6Address, b instanceof Inet6Address);
    }

    /** A resource the client holds, with its expiry and, for DNS, the real IPs resolved per name. */
    private static final class Granted {
        GatewayResource resource;
        final Long expiresAtUnixSeconds;
        final Map<String, List<InetAddress>> resolved = new HashMap<>();

        Granted(GatewayResource resource, Long expiresAtUnixSeconds) {
            this.resource = resource;
            this.expiresAtUnixSeconds = expiresAtUnixSeconds;
        }

        List<IpNetwork> networks() {
            return switch (resource) {
                case GatewayResource.Cidr cidr -> List.of(cidr.address());
                case GatewayResource.Dns dns -> resolved.values().stream().flatMap(List::stream).map(IpNetwork::host).toList();
                case GatewayResource.Internet internet -> List.of(AddressPlan.DEFAULT_ROUTE_V4, AddressPlan.DEFAULT_ROUTE_V6);
            };
        }
    }
}
