package dev.zonewire.tunnel.dns;

import dev.zonewire.tunnel.messages.ResolveRequest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The proxy addresses of one DNS-resource name: 4 IPv4 and 4 IPv6, handed out in A and AAAA answers.
 * {@code name} is lower case without the trailing dot; {@code resourceId} is the resource it last matched.
 */
public record ProxyIps(String name, UUID resourceId, List<Inet4Address> ipv4, List<Inet6Address> ipv6) {
    public static final int PER_FAMILY = 4;

    public ProxyIps {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }

    /** IPv4 first, then IPv6, the order the reference sends. */
    public List<InetAddress> all() {
        List<InetAddress> all = new ArrayList<>(ipv4.size() + ipv6.size());
        all.addAll(ipv4);
        all.addAll(ipv6);
        return all;
    }

    public ResolveRequest toResolveRequest() {
        return new ResolveRequest(name, all());
    }

    ProxyIps withResource(UUID resource) {
        return new ProxyIps(name, resource, ipv4, ipv6);
    }
}
