package dev.zonewire.tunnel.messages;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An upstream DNS server from the portal: JSON {@code {"protocol":"ip_port","address":"1.1.1.1:53"}}.
 * {@code ip_port} is the only protocol the portal sends; any other makes the message malformed.
 */
public record DnsServer(InetSocketAddress address) {

    public DnsServer {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("a DNS server needs an IP address, not a name");
        }
    }
}
