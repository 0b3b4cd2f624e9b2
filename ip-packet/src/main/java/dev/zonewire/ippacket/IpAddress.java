package dev.zonewire.ippacket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 address as a plain value, so that rewriting a packet's address never allocates
 * (an {@link InetAddress} hands out its bytes only as a fresh array).
 */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** Parses an address literal such as {@code 100.64.0.1} or {@code fd00:2021:1111::1}; never does a DNS lookup. */
    static IpAddress parse(String literal) {
        return of(InetAddress.ofLiteral(literal));
    }

    static IpAddress of(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> Ipv4Address.of(v4);
            case Inet6Address v6 -> Ipv6Address.of(v6);
            default -> throw new IllegalArgumentException("neither IPv4 nor IPv6: " + address);
        };
    }

    /** 4 or 6. */
    int version();

    InetAddress toInetAddress();
}
