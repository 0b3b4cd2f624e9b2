package dev.zonewire.tunnel.gateway;

import dev.zonewire.ippacket.FamilyTranslator;
import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.ippacket.Ipv6Address;
import dev.zonewire.tunnel.dns.DomainPattern;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.net.AddressKeyMap;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.IpNetwork;
import dev.zonewire.tunnel.net.NetworkBits;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One client as the gateway knows it (tunnel.md §4.3): its tunnel addresses (the only sources it may
 * use), the resources it was granted with their expiry, the filters they add up to, and for DNS
 * resources the translations proxy IP → real IP and the NAT sessions. Time is passed in: monotonic
 * nanoseconds for traffic, UTC for access expiry.
 *
 * <p>The packet methods ({@link #outbound}, {@link #inbound}) decide and rewrite in place without
 * allocating: every table they consult is keyed by address bits.
 */
public final class ClientOnGateway {
    /** Proxy IPs one client may have translated: 8 per name, so 4096 names. */
    static final int MAX_TRANSLATIONS = 8 * 4096;
    private static final NetworkBits PROXY_V4 = NetworkBits.of(AddressPlan.PROXY_V4);
    private static final NetworkBits PROXY_V6 = NetworkBits.of(AddressPlan.PROXY_V6);
    private static final NetworkBits PEERS_V4 = NetworkBits.of(AddressPlan.PEERS_V4);
    private static final NetworkBits PEERS_V6 = NetworkBits.of(AddressPlan.PEERS_V6);
    /** Link-local addresses are the gateway's own segment (e.g. a cloud's metadata service at 169.254.169.254), not the internet. */
    private static final NetworkBits LINK_LOCAL_V4 = NetworkBits.of(IpNetwork.parse("169.254.0.0/16"));
    private static final NetworkBits LINK_LOCAL_V6 = NetworkBits.of(IpNetwork.parse("fe80::/10"));

    private final UUID id;
    private final Inet4Address ipv4;
    private final Inet6Address ipv6;
    private final Ipv4Address tunnelIpv4;
    private final Ipv6Address tunnelIpv6;
    private final Map<UUID, Granted> resources = new LinkedHashMap<>();
    private final AddressKeyMap<TranslationState> translations = new AddressKeyMap<>();
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
        this.tunnelIpv4 = Ipv4Address.of(ipv4);
        this.tunnelIpv6 = Ipv6Address.of(ipv6);
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
            recomputeFilters();
        } else if (sameKind(existing.resource, resource)) {
            replace(existing, resource);
        }
    }

    /** New filters for a resource the client holds; false (and no change) when the kind differs or it is not held. */
    public boolean updateResource(GatewayResource resource) {
        Granted existing = resources.get(resource.id());
        if (existing == null || !sameKind(existing.resource, resource)) {
            return false;
        }
        replace(existing, resource);
        return true;
    }

    /** New filters, and for a DNS resource perhaps a new pattern: names it no longer covers lose their translations. */
    private void replace(Granted existing, GatewayResource resource) {
        existing.resource = resource;
        if (resource instanceof GatewayResource.Dns dns) {
            Predicate<String> covered = matcher(dns.address());
            translations.removeIf(state -> state.resourceId.equals(dns.id()) && !covered.test(state.name));
        }
        translationsChanged();
    }

    public void removeResource(UUID resourceId) {
        if (resources.remove(resourceId) != null) {
            translations.removeIf(state -> state.resourceId.equals(resourceId));
            translationsChanged();
        }
    }

    public boolean holds(UUID resourceId) {
        return resources.containsKey(resourceId);
    }

    public boolean isEmpty() {
        return resources.isEmpty();
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
            translations.removeIf(state -> expired.contains(state.resourceId));
            translationsChanged();
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
        if (!matcher(dns.address()).test(name)) {
            return NatSetup.NAME_OUTSIDE_RESOURCE;
        }
        if (!proxyIps.stream().allMatch(AddressPlan::isProxyAddress)) {
            return NatSetup.NOT_A_PROXY_ADDRESS;
        }
        long newProxies = proxyIps.stream().filter(proxy -> translations.get(key(proxy), high(proxy), low(proxy)) == null).count();
        if (translations.size() + newProxies > MAX_TRANSLATIONS) {
            return NatSetup.TOO_MANY_NAMES;
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
            IpAddress real = IpAddress.of(targets.get(index % targets.size()));
            translations.put(key(proxy), high(proxy), low(proxy), new TranslationState(resourceId, name, IpAddress.of(proxy), real, nowNanos));
        }
        granted.resolved.put(name, List.copyOf(resolved));
        translationsChanged();
        return NatSetup.ACTIVE;
    }

    /** A new resolution of a name that went silent; a changed set of real IPs gets fresh translations on the same proxy IPs. */
    public NatSetup refreshTranslation(String name, UUID resourceId, List<InetAddress> resolved, long nowNanos) {
        List<TranslationState> states = translations.values().stream()
                .filter(state -> state.resourceId.equals(resourceId) && state.name.equals(name)).toList();
        Set<IpAddress> current = new HashSet<>();
        states.forEach(state -> current.add(state.realIp));
        Set<IpAddress> fresh = new HashSet<>();
        resolved.forEach(ip -> fresh.add(IpAddress.of(ip)));
        if (current.equals(fresh)) {
            // Same answer: restart the silence clock, so a silent name is re-resolved once per window, not every second.
            for (TranslationState old : states) {
                translations.put(old.proxyIp.version(), Addresses.high(old.proxyIp), Addresses.low(old.proxyIp),
                        new TranslationState(resourceId, name, old.proxyIp, old.realIp, nowNanos));
            }
            return NatSetup.ACTIVE;
        }
        List<InetAddress> proxies = new ArrayList<>(states.stream().map(state -> Addresses.toInet(state.proxyIp)).toList());
        proxies.sort(ClientOnGateway::ipv4First);
        return setupNat(name, resourceId, resolved, proxies, nowNanos);
    }

    /**
     * A packet from this client towards the resource network (tunnel.md §4.7): source check, filter check
     * on the original destination, then for proxy IPs NAT, rewriting the packet in place (NAT46/64 when
     * the real IP is of the other family; the packet needs {@link IpPacket#NAT46_HEADROOM} free bytes
     * before it). Returns null when the packet may go on, else why it must not (the packet is then
     * unchanged).
     */
    public DropReason outbound(IpPacket packet, long nowNanos) {
        if (!packet.sourceEquals(tunnelIpv4) && !packet.sourceEquals(tunnelIpv6)) {
            return DropReason.SOURCE_NOT_ALLOWED;
        }
        int version = packet.version();
        long high = Addresses.destinationHigh(packet);
        long low = Addresses.destinationLow(packet);
        if (PEERS_V4.contains(version, high, low) || PEERS_V6.contains(version, high, low)) {
            // The gateway routes the peer ranges into its TUN device: this would reach another client (or the gateway).
            return DropReason.PEER_DESTINATION;
        }
        TransportProtocol protocol = TransportProtocol.of(packet);
        TranslationState translation = translations.get(AddressKeyMap.tag(version), high, low);
        if (!allowed(version, high, low, translation, protocol, packet)) {
            return DropReason.DESTINATION_NOT_ALLOWED;
        }
        if (translation == null) {
            return null;
        }
        if (!protocol.hasPortOrIdentifier()) {
            return DropReason.UNTRANSLATABLE_PROTOCOL;
        }
        int sourcePort = packet.sourcePort();
        int port = nat.translateOutgoing(protocol.ordinal(), sourcePort, translation, nowNanos);
        if (port < 0) {
            return DropReason.NAT_EXHAUSTED;
        }
        IpAddress real = translation.realIp;
        if (real.version() != version) {
            boolean translated = real instanceof Ipv6Address realIpv6
                    ? FamilyTranslator.toIpv6(packet, tunnelIpv6, realIpv6).isValid()
                    : FamilyTranslator.toIpv4(packet, tunnelIpv4, (Ipv4Address) real).isValid();
            if (!translated) {
                return DropReason.UNTRANSLATABLE_PACKET;
            }
        } else {
            packet.setDestination(real);
        }
        if (port != sourcePort) {
            packet.setSourcePort(port);
        }
        translation.onOutgoing(nowNanos);
        return null;
    }

    /**
     * A packet from the resource network to this client: a reply on a NAT session gets the proxy IP as
     * its source and the client's own port back (and the client's family, translated in place); anything
     * else passes unchanged (CIDR and Internet traffic). Returns null, or why the packet must be dropped.
     */
    public DropReason inbound(IpPacket packet, long nowNanos) {
        TransportProtocol protocol = TransportProtocol.of(packet);
        if (!protocol.hasPortOrIdentifier()) {
            return null;
        }
        NatTable.Session session = nat.translateIncoming(protocol.ordinal(), packet.destinationPort(), packet.version(),
                Addresses.sourceHigh(packet), Addresses.sourceLow(packet), nowNanos);
        if (session == null) {
            return null;
        }
        IpAddress proxy = session.proxy;
        TranslationState translation = translations.get(AddressKeyMap.tag(proxy.version()), Addresses.high(proxy), Addresses.low(proxy));
        if (translation != null) {
            translation.onIncoming(nowNanos);
        }
        if (proxy.version() != packet.version()) {
            boolean translated = proxy instanceof Ipv6Address proxyIpv6
                    ? FamilyTranslator.toIpv6(packet, proxyIpv6, tunnelIpv6).isValid()
                    : FamilyTranslator.toIpv4(packet, (Ipv4Address) proxy, tunnelIpv4).isValid();
            if (!translated) {
                return DropReason.UNTRANSLATABLE_PACKET;
            }
        } else {
            packet.setSource(proxy);
        }
        if (session.insidePort != packet.destinationPort()) {
            packet.setDestinationPort(session.insidePort);
        }
        return null;
    }

    /** The per-second work: NAT sessions expire, and names whose real IPs all went silent are queued for re-resolution. */
    public void handleTimeout(long nowNanos) {
        Map<RefreshDns, List<TranslationState>> byName = new LinkedHashMap<>();
        for (TranslationState state : translations.values()) {
            byName.computeIfAbsent(new RefreshDns(id, state.resourceId, state.name), any -> new ArrayList<>()).add(state);
        }
        byName.forEach((refresh, states) -> {
            boolean expired = states.stream().anyMatch(state -> state.isExpired(nowNanos));
            if (expired && states.stream().allMatch(state -> state.silentFor(nowNanos)) && !refreshes.contains(refresh)) {
                refreshes.add(refresh);
            }
        });
        nat.handleTimeout(nowNanos);
    }

    public RefreshDns pollRefresh() {
        return refreshes.poll();
    }

    int natSessions() {
        return nat.size();
    }

    int translationCount() {
        return translations.size();
    }

    /** How many names the client's DNS resources hold resolutions for. */
    int resolvedNameCount() {
        return resources.values().stream().mapToInt(granted -> granted.resolved.size()).sum();
    }

    /** The real IP a proxy IP currently points at, or null. */
    public IpAddress translationOf(IpAddress proxyIp) {
        TranslationState state = translations.get(AddressKeyMap.tag(proxyIp.version()), Addresses.high(proxyIp), Addresses.low(proxyIp));
        return state == null ? null : state.realIp;
    }

    /**
     * After translations were added, moved or removed: a NAT session whose proxy IP no longer points at its
     * real IP ends (else the old real IP could go on reaching the client through it), and a resolved name
     * left without proxy IPs is forgotten (else a client could grow the table with names without bound).
     */
    private void translationsChanged() {
        nat.removeIf(session -> !session.real.equals(translationOf(session.proxy)));
        Map<UUID, Set<String>> translatedNames = new HashMap<>();
        for (TranslationState state : translations.values()) {
            translatedNames.computeIfAbsent(state.resourceId, any -> new HashSet<>()).add(state.name);
        }
        resources.forEach((resourceId, granted) -> granted.resolved.keySet().retainAll(translatedNames.getOrDefault(resourceId, Set.of())));
        recomputeFilters();
    }

    private boolean allowed(int version, long high, long low, TranslationState translation, TransportProtocol protocol, IpPacket packet) {
        if (holdsInternet && !PROXY_V4.contains(version, high, low) && !PROXY_V6.contains(version, high, low)
                && !LINK_LOCAL_V4.contains(version, high, low) && !LINK_LOCAL_V6.contains(version, high, low)) {
            return true;
        }
        FilterEngine engine;
        if (translation != null) {
            Granted granted = resources.get(translation.resourceId);
            engine = granted == null ? null : granted.engine;
        } else {
            engine = filters.lookup(version, high, low);
        }
        return engine != null && engine.allows(protocol, protocol.hasPortOrIdentifier() ? packet.destinationPort() : 0);
    }

    /**
     * Rebuilds the filter table: a CIDR network takes the filters of every resource whose addresses
     * contain it (so the Internet resource's empty list opens it fully). A proxy IP with a translation takes
     * its DNS resource's own filters, kept with the grant.
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
        resources.values().forEach(granted -> granted.engine = FilterEngine.of(List.of(granted.resource.filters())));
        filters = rebuilt;
        holdsInternet = resources.values().stream().anyMatch(granted -> granted.resource instanceof GatewayResource.Internet);
    }

    /** The names {@code pattern} covers; none when it is malformed. */
    private static Predicate<String> matcher(String pattern) {
        try {
            return DomainPattern.parse(pattern)::matches;
        } catch (IllegalArgumentException malformed) {
            return name -> false;
        }
    }

    private static boolean sameKind(GatewayResource a, GatewayResource b) {
        return a.getClass() == b.getClass();
    }

    private static int key(InetAddress address) {
        return AddressKeyMap.tag(Addresses.version(address));
    }

    private static long high(InetAddress address) {
        return Addresses.high(IpAddress.of(address));
    }

    private static long low(InetAddress address) {
        return Addresses.low(IpAddress.of(address));
    }

    private static int ipv4First(InetAddress a, InetAddress b) {
        return Boolean.compare(a instanceof Inet6Address, b instanceof Inet6Address);
    }

    /** A resource the client holds, with its expiry and, for DNS, the real IPs resolved per name. */
    private static final class Granted {
        GatewayResource resource;
        FilterEngine engine;
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
