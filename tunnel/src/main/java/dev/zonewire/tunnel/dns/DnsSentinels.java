package dev.zonewire.tunnel.dns;

import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sentinel addresses the operating system uses as DNS servers, one per effective upstream server
 * (tunnel.md §3.8.1). The effective servers are the portal's upstreams, or the system's resolvers on
 * port 53 when the portal gives none; sentinel addresses themselves are never upstreams. A new set of
 * servers always gets sentinels the previous mapping did not use, so no stale OS cache points at a
 * sentinel that now means another server.
 */
public final class DnsSentinels {
    private static final int IPV4_SENTINELS = 254;
    private static final int IPV6_SENTINELS = 256;

    private Map<InetAddress, InetSocketAddress> bySentinel = Map.of();
    private boolean fromPortal;

    /**
     * Recomputes the effective servers; returns true when the mapping changed (the caller then hands the
     * new sentinels to the platform). Servers beyond 254 IPv4 or 256 IPv6 are left out.
     */
    public boolean update(List<InetSocketAddress> portalUpstreams, List<InetAddress> systemResolvers) {
        Set<InetSocketAddress> effective = new LinkedHashSet<>();
        portalUpstreams.stream().filter(server -> !isSentinel(server.getAddress())).forEach(effective::add);
        boolean portal = !effective.isEmpty();
        if (!portal) {
            systemResolvers.stream().filter(ip -> !isSentinel(ip)).forEach(ip -> effective.add(new InetSocketAddress(ip, AddressPlan.DNS_PORT)));
        }
        fromPortal = portal;
        if (effective.equals(new HashSet<>(bySentinel.values()))) {
            return false;
        }
        bySentinel = assign(effective, bySentinel.keySet());
        return true;
    }

    /** The upstream server behind {@code sentinel}, or null when it is not a sentinel of the current mapping. */
    public InetSocketAddress upstreamFor(InetAddress sentinel) {
        return bySentinel.get(sentinel);
    }

    /** True when the current servers came from the portal (only those may be reached through the tunnel). */
    public boolean fromPortal() {
        return fromPortal;
    }

    /** Sentinel to upstream, in the order of the servers. */
    public Map<InetAddress, InetSocketAddress> mapping() {
        return Collections.unmodifiableMap(bySentinel);
    }

    public List<InetAddress> sentinels() {
        return List.copyOf(bySentinel.keySet());
    }

    /** True for any address of the two sentinel ranges, assigned or not. */
    public static boolean isSentinel(InetAddress address) {
        return AddressPlan.SENTINELS_V4.contains(address) || AddressPlan.SENTINELS_V6.contains(address);
    }

    private static Map<InetAddress, InetSocketAddress> assign(Set<InetSocketAddress> servers, Set<InetAddress> previous) {
        Map<InetAddress, InetSocketAddress> mapping = new LinkedHashMap<>();
        int nextIpv4 = 1;
        int nextIpv6 = 0;
        for (InetSocketAddress server : servers) {
            if (server.getAddress() instanceof Inet4Address) {
                while (nextIpv4 <= IPV4_SENTINELS && previous.contains(sentinel(AddressPlan.SENTINELS_V4, nextIpv4))) {
                    nextIpv4++;
                }
                if (nextIpv4 <= IPV4_SENTINELS) {
                    mapping.put(sentinel(AddressPlan.SENTINELS_V4, nextIpv4++), server);
                }
            } else {
                while (nextIpv6 < IPV6_SENTINELS && previous.contains(sentinel(AddressPlan.SENTINELS_V6, nextIpv6))) {
                    nextIpv6++;
                }
                if (nextIpv6 < IPV6_SENTINELS) {
                    mapping.put(sentinel(AddressPlan.SENTINELS_V6, nextIpv6++), server);
                }
            }
        }
        return mapping;
    }

    private static InetAddress sentinel(IpNetwork range, int host) {
        byte[] bytes = range.address().getAddress();
        bytes[bytes.length - 1] = (byte) host;
        return Addresses.ofBytes(bytes);
    }
}
