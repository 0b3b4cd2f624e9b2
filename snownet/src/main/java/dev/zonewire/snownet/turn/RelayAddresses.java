package dev.zonewire.snownet.turn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Where a relay listens: an IPv4 address, an IPv6 address, or both (dual-stack). */
public record RelayAddresses(InetSocketAddress ipv4, InetSocketAddress ipv6) {

    public RelayAddresses {
        if (ipv4 == null && ipv6 == null) {
            throw new IllegalArgumentException("a relay needs an IPv4 or an IPv6 address");
        }
        if (ipv4 != null && (ipv4.isUnresolved() || !(ipv4.getAddress() instanceof Inet4Address))) {
            throw new IllegalArgumentException("the relay's IPv4 address is not an IPv4 address");
        }
        if (ipv6 != null && (ipv6.isUnresolved() || !(ipv6.getAddress() instanceof Inet6Address))) {
            throw new IllegalArgumentException("the relay's IPv6 address is not an IPv6 address");
        }
    }

    public static RelayAddresses of(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? new RelayAddresses(address, null) : new RelayAddresses(null, address);
    }

    public boolean contains(InetSocketAddress address) {
        return address.equals(ipv4) || address.equals(ipv6);
    }
}
