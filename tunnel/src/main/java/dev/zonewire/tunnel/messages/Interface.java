package dev.zonewire.tunnel.messages;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

/** The tunnel interface the portal assigns: IPv4 and IPv6 tunnel addresses and, for clients, the upstream DNS servers. */
public record Interface(Inet4Address ipv4, Inet6Address ipv6, List<DnsServer> upstreamDns) {

    public Interface {
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        upstreamDns = List.copyOf(upstreamDns);
    }
}
