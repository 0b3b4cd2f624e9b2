package dev.zonewire.tunnel.messages;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The DNS-resource NAT hint the client sends in the legacy flow: the concrete name it resolved (no
 * trailing dot) and the proxy IPs it handed out for it, IPv4 first, then IPv6.
 */
public record ResolveRequest(String name, List<InetAddress> proxyIps) {

    public ResolveRequest {
        Objects.requireNonNull(name, "name");
        proxyIps = List.copyOf(proxyIps);
    }
}
