package dev.zonewire.tunnel.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * The client's TUN configuration (tunnel.md §3.2): its addresses (installed as /32 and /128), the sentinel
 * addresses the operating system must use as DNS servers with the upstream server behind each, and the
 * routes.
 */
public record TunConfig(Inet4Address ipv4, Inet6Address ipv6, Map<InetAddress, InetSocketAddress> dnsBySentinel, Routes routes) {

    public TunConfig {
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        dnsBySentinel = Map.copyOf(dnsBySentinel);
        Objects.requireNonNull(routes, "routes");
    }
}
