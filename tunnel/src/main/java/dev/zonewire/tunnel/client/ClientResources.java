package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.dns.ProxyIps;
import dev.zonewire.tunnel.dns.StubResolver;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.IpNetwork;
import dev.zonewire.tunnel.net.NetworkBits;
import dev.zonewire.tunnel.net.PrefixTable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The client's resources and what follows from them (tunnel.md §3.3): the DNS patterns registered with
 * the stub resolver, the active CIDR table, the Internet resource, the routes to install, and the
 * gateways serving resources with their allowed source addresses and site status.
 *
 * <p>Changes that the UI must see raise a flag polled with {@link #pollResourcesChanged()}; routes are
 * recomputed on every change and read with {@link #routes()}. The lookups the packet path makes
 * ({@link #resourceFor(int, long, long)}, {@link #gatewayOf}, {@link #sourceAllowed(UUID, int, long, long)})
 * allocate nothing.
 */
public final class ClientResources {
    /**
     * Resource ids in the reference's order (the text of the UUID, which is its 128 bits as an unsigned
     * number), which decides ties between equal CIDR networks. Compared without making the text.
     */
    private static final Comparator<UUID> ID_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };
    private static final NetworkBits PROXY_V4 = NetworkBits.of(AddressPlan.PROXY_V4);
    private static final NetworkBits PROXY_V6 = NetworkBits.of(AddressPlan.PROXY_V6);

    private final TreeMap<UUID, ClientResource> byId = new TreeMap<>(ID_ORDER);
    private final Set<UUID> disabled = new HashSet<>();
    private final StubResolver resolver;
    private PrefixTable<UUID> activeCidr = new PrefixTable<>();
    private UUID internet;
    private final Map<UUID, UUID> gatewayByResource = new HashMap<>();
    private final Map<UUID, GatewayPeer> peers = new HashMap<>();
    private final Map<UUID, UUID> siteByGateway = new HashMap<>();
    private final Map<UUID, ResourceStatus> siteStatus = new HashMap<>();
    private boolean resourcesChanged;

    public ClientResources(StubResolver resolver) {
        this.resolver = resolver;
    }

    /** {@code init}: drops the resources not listed, then adds or updates every listed one. Always reports a change. */
    public void setResources(List<ClientResource> resources) {
        Set<UUID> listed = new HashSet<>();
        resources.stream().filter(resource -> !(resource instanceof ClientResource.Unknown)).forEach(resource -> listed.add(id(resource)));
        new ArrayList<>(byId.keySet()).stream().filter(id -> !listed.contains(id)).forEach(this::remove);
        resources.forEach(this::add);
        recomputeActiveCidr();
        resourcesChanged = true;
    }

    /**
     * {@code resource_created_or_updated}. A new address (or kind) for a known id removes the old one
     * first; a resource of unknown type is ignored; a DNS pattern that does not parse stays inactive.
     */
    public void add(ClientResource resource) {
        if (resource instanceof ClientResource.Unknown) {
            return;
        }
        UUID id = id(resource);
        ClientResource existing = byId.get(id);
        if (existing != null && !address(existing).equals(address(resource))) {
            remove(id);
        }
        byId.put(id, resource);
        if (disabled.contains(id)) {
            return;
        }
        boolean activated = switch (resource) {
            case ClientResource.Dns dns -> resolver.addResource(dns.id(), dns.address());
            case ClientResource.Cidr cidr -> !id.equals(activeCidr.get(cidr.address()));
            case ClientResource.Internet any -> {
                boolean replaced = !id.equals(internet);
                internet = id;
                yield replaced;
            }
            case ClientResource.Unknown unknown -> false;
        };
        if (activated) {
            recomputeActiveCidr();
            resourcesChanged = true;
        }
    }

    /** {@code resource_deleted}. */
    public void remove(UUID id) {
        deactivate(id);
        byId.remove(id);
        recomputeActiveCidr();
        resourcesChanged = true;
    }

    /** The UI's disabled set (e.g. the Internet resource switched off): re-enables the others, disables these. */
    public void setDisabled(Set<UUID> ids) {
        Set<UUID> reenabled = new HashSet<>(disabled);
        reenabled.removeAll(ids);
        disabled.clear();
        disabled.addAll(ids);
        reenabled.stream().map(byId::get).filter(Objects::nonNull).toList().forEach(this::add);
        ids.forEach(this::deactivate);
        recomputeActiveCidr();
        resourcesChanged = true;
    }

    /** The portal answered {@code offline}: every site of the resource is offline and its gateway mapping goes. */
    public void setResourceOffline(UUID id) {
        ClientResource resource = byId.get(id);
        if (resource == null) {
            return;
        }
        unmap(id);
        sites(resource).forEach(site -> siteStatus.put(site.id(), ResourceStatus.OFFLINE));
        resourcesChanged = true;
    }

    /** True once after any change the UI should see. */
    public boolean pollResourcesChanged() {
        boolean changed = resourcesChanged;
        resourcesChanged = false;
        return changed;
    }

    /** Active CIDR networks, the proxy and sentinel ranges, and the default routes while the Internet resource is active. */
    public Routes routes() {
        List<IpNetwork> ipv4 = new ArrayList<>();
        List<IpNetwork> ipv6 = new ArrayList<>();
        for (var entry : activeCidr.entries()) {
            (entry.getKey().isIpv4() ? ipv4 : ipv6).add(entry.getKey());
        }
        ipv4.add(AddressPlan.PROXY_V4);
        ipv4.add(AddressPlan.SENTINELS_V4);
        ipv6.add(AddressPlan.PROXY_V6);
        ipv6.add(AddressPlan.SENTINELS_V6);
        if (internet != null) {
            ipv4.add(AddressPlan.DEFAULT_ROUTE_V4);
            ipv6.add(AddressPlan.DEFAULT_ROUTE_V6);
        }
        Comparator<IpNetwork> order = Comparator.comparing((IpNetwork network) -> network.address().getAddress(), Arrays::compareUnsigned)
                .thenComparingInt(IpNetwork::prefixLength);
        ipv4 = ipv4.stream().distinct().sorted(order).toList();
        ipv6 = ipv6.stream().distinct().sorted(order).toList();
        return new Routes(ipv4, ipv6);
    }

    /**
     * The resource a packet to {@code destination} belongs to (tunnel.md §3.4): an enabled DNS resource
     * owning this proxy IP, else the longest-matching active CIDR resource, else the Internet resource; or null.
     * An address in the proxy ranges that names no DNS resource belongs to nothing (never to the Internet
     * resource: the gateway would refuse it anyway).
     */
    public UUID resourceFor(InetAddress destination) {
        var bits = Addresses.of(destination);
        return resourceFor(bits.version(), Addresses.high(bits), Addresses.low(bits));
    }

    /** The same for a destination given as bits (see {@link Addresses}); allocates nothing. */
    public UUID resourceFor(int version, long high, long low) {
        if (PROXY_V4.contains(version, high, low) || PROXY_V6.contains(version, high, low)) {
            ProxyIps proxy = resolver.proxyIpsOf(version, high, low);
            return proxy != null && isEnabled(proxy.resourceId()) ? proxy.resourceId() : null;
        }
        UUID cidr = activeCidr.lookup(version, high, low);
        return cidr != null ? cidr : internet;
    }

    /** Whether traffic to {@code address} goes through the tunnel (a CIDR resource covers it, or the Internet resource is active). */
    public boolean routedThroughTunnel(InetAddress address) {
        return activeCidr.lookup(address) != null || internet != null;
    }

    public ClientResource get(UUID id) {
        return byId.get(id);
    }

    public boolean isEnabled(UUID id) {
        return byId.containsKey(id) && !disabled.contains(id);
    }

    /** All resources with their status, in the UI's order. */
    public List<ResourceView> views() {
        return byId.values().stream().map(resource -> new ResourceView(resource, status(resource))).sorted(ResourceView.ORDER).toList();
    }

    // Gateways serving resources.

    /**
     * The portal routed {@code resource} to {@code gateway} in {@code site}: the gateway becomes a peer (if it
     * was not) and packets from it may come from {@code allowedIps} on behalf of the resource. A resource the
     * portal moved to another gateway leaves the old one first.
     */
    public void mapToGateway(UUID resource, UUID gateway, UUID site, List<IpNetwork> allowedIps) {
        UUID current = gatewayByResource.get(resource);
        if (current != null && !current.equals(gateway)) {
            unmap(resource);
        }
        gatewayByResource.put(resource, gateway);
        siteByGateway.put(gateway, site);
        peers.computeIfAbsent(gateway, any -> new GatewayPeer()).resources.add(resource);
        addAllowedIps(gateway, resource, allowedIps);
    }

    public UUID gatewayOf(UUID resource) {
        return gatewayByResource.get(resource);
    }

    public boolean isGatewayPeer(UUID gateway) {
        return gateway != null && peers.containsKey(gateway);
    }

    /** More source addresses {@code gateway} may use for {@code resource}, e.g. the proxy IPs of a DNS name. */
    public void addAllowedIps(UUID gateway, UUID resource, List<IpNetwork> networks) {
        GatewayPeer peer = peers.get(gateway);
        if (peer == null) {
            return;
        }
        for (IpNetwork network : networks) {
            Set<UUID> resources = peer.allowed.get(network);
            if (resources == null) {
                peer.allowed.put(network, resources = new HashSet<>());
            }
            resources.add(resource);
        }
    }

    /** Whether a packet from {@code gateway} may carry {@code source} (tunnel.md §3.7 step 4). */
    public boolean sourceAllowed(UUID gateway, InetAddress source) {
        var bits = Addresses.of(source);
        return sourceAllowed(gateway, bits.version(), Addresses.high(bits), Addresses.low(bits));
    }

    /**
     * The same for a source given as bits; allocates nothing. The source must also belong to a resource this
     * gateway serves, the one we would send that address's packets to: where resources overlap (a CIDR
     * resource beside the Internet resource of another gateway), only that gateway may answer from it.
     */
    public boolean sourceAllowed(UUID gateway, int version, long high, long low) {
        GatewayPeer peer = peers.get(gateway);
        return peer != null && peer.allowed.lookup(version, high, low) != null
                && gateway.equals(gatewayByResource.get(resourceFor(version, high, low)));
    }

    /**
     * The gateway refused {@code resource} (access expired or was revoked): forget the mapping so that the
     * next packet asks the portal again. The gateway stays a peer while it serves other resources.
     */
    public void unmap(UUID resource) {
        UUID gateway = gatewayByResource.remove(resource);
        GatewayPeer peer = gateway == null ? null : peers.get(gateway);
        if (peer == null) {
            return;
        }
        peer.resources.remove(resource);
        for (var entry : peer.allowed.entries()) {
            entry.getValue().remove(resource);
            if (entry.getValue().isEmpty()) {
                peer.allowed.remove(entry.getKey());
            }
        }
        if (peer.resources.isEmpty()) {
            peers.remove(gateway);
            setSiteOf(gateway, ResourceStatus.UNKNOWN);
        }
    }

    public void onGatewayConnected(UUID gateway) {
        setSiteOf(gateway, ResourceStatus.ONLINE);
    }

    /** The connection to {@code gateway} failed or closed: forget it and what it served. */
    public void onGatewayDisconnected(UUID gateway) {
        setSiteOf(gateway, ResourceStatus.UNKNOWN);
        peers.remove(gateway);
        gatewayByResource.values().removeIf(gateway::equals);
    }

    /** Every gateway is forgotten (a network change); resources, DNS and routes stay. */
    public void reset() {
        new ArrayList<>(peers.keySet()).forEach(this::onGatewayDisconnected);
        gatewayByResource.clear();
    }

    /** The gateways currently serving resources. */
    public Set<UUID> gatewayPeers() {
        return Set.copyOf(peers.keySet());
    }

    /** The id of a resource; an unknown one carries none and is never stored, so it gets the nil UUID. */
    static UUID id(ClientResource resource) {
        return switch (resource) {
            case ClientResource.Dns dns -> dns.id();
            case ClientResource.Cidr cidr -> cidr.id();
            case ClientResource.Internet internetResource -> internetResource.id();
            case ClientResource.Unknown unknown -> new UUID(0, 0);
        };
    }

    private void deactivate(UUID id) {
        ClientResource resource = byId.get(id);
        if (resource == null) {
            return;
        }
        switch (resource) {
            case ClientResource.Dns dns -> resolver.removeResource(id);
            case ClientResource.Internet any -> {
                if (id.equals(internet)) {
                    internet = null;
                }
            }
            default -> {}
        }
        unmap(id);
    }

    /** Rebuilds the CIDR table in id order; of two resources on the same network the one connected to a gateway stays. */
    private void recomputeActiveCidr() {
        PrefixTable<UUID> rebuilt = new PrefixTable<>();
        for (ClientResource resource : byId.values()) {
            if (!(resource instanceof ClientResource.Cidr cidr) || disabled.contains(cidr.id())) {
                continue;
            }
            UUID holder = rebuilt.get(cidr.address());
            if (holder != null && isGatewayPeer(gatewayByResource.get(holder))) {
                continue;
            }
            rebuilt.put(cidr.address(), cidr.id());
        }
        activeCidr = rebuilt;
    }

    private ResourceStatus status(ClientResource resource) {
        List<Site> sites = sites(resource);
        if (sites.stream().anyMatch(site -> siteStatus.get(site.id()) == ResourceStatus.ONLINE)) {
            return ResourceStatus.ONLINE;
        }
        if (sites.stream().allMatch(site -> siteStatus.get(site.id()) == ResourceStatus.OFFLINE)) {
            return ResourceStatus.OFFLINE;
        }
        return ResourceStatus.UNKNOWN;
    }

    private void setSiteOf(UUID gateway, ResourceStatus status) {
        UUID site = siteByGateway.get(gateway);
        if (site != null && siteStatus.put(site, status) != status) {
            resourcesChanged = true;
        }
    }

    /** A gateway serving resources: which ones, and the source addresses it may use for them. */
    private static final class GatewayPeer {
        final Set<UUID> resources = new HashSet<>();
        final PrefixTable<Set<UUID>> allowed = new PrefixTable<>();
    }

    private static List<Site> sites(ClientResource resource) {
        return switch (resource) {
            case ClientResource.Dns dns -> dns.sites();
            case ClientResource.Cidr cidr -> cidr.sites();
            case ClientResource.Internet internetResource -> internetResource.sites();
            case ClientResource.Unknown unknown -> List.of();
        };
    }

    /** What must stay the same for an update to keep a resource's state: its kind and address. */
    private static Object address(ClientResource resource) {
        return switch (resource) {
            case ClientResource.Dns dns -> "dns:" + dns.address();
            case ClientResource.Cidr cidr -> "cidr:" + cidr.address();
            case ClientResource.Internet any -> "internet";
            case ClientResource.Unknown unknown -> "unknown:" + unknown.type();
        };
    }
}
