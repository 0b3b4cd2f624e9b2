package dev.zonewire.wireguard.linux;

import dev.zonewire.ippacket.Ipv6Address;
import dev.zonewire.platform.linux.IpPrefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * IP addresses, prefixes and endpoints in the text forms WireGuard's tools read and write: strict
 * dotted-quad IPv4, IPv6 with {@code ::} compression, {@code [v6]:port} endpoints. Parse errors
 * quote at most the first 64 characters of the input.
 */
final class Addresses {
    private Addresses() {
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}, as wg(8) prints an endpoint. */
    static String format(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        return address instanceof Inet6Address
                ? "[" + format(address) + "]:" + endpoint.getPort()
                : format(address) + ":" + endpoint.getPort();
    }

    /** {@code 10.0.0.0/8} or {@code fd00::/64}. */
    static String format(IpPrefix prefix) {
        return format(prefix.address()) + "/" + prefix.length();
    }

    /** The shortest text of an address (RFC 5952 for IPv6: lower case, longest zero run as {@code ::}). */
    static String format(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        String text = Ipv6Address.of(v6).toString();
        String scope = v6.getScopeId() != 0 ? scopeOf(v6) : "";
        return text + scope;
    }

    /**
     * An endpoint as the UAPI gives it: an IP literal and a port, {@code 192.0.2.1:51820} or
     * {@code [2001:db8::1]:51820} (an IPv6 zone, {@code [fe80::1%eth0]:51820}, is allowed). No names.
     */
    static InetSocketAddress parseEndpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(quote(text) + " is not an address:port endpoint");
        }
        String host = text.substring(0, colon);
        int port = parsePort(text.substring(colon + 1), text);
        InetAddress address;
        if (host.startsWith("[") && host.endsWith("]")) {
            address = parseIpv6(host.substring(1, host.length() - 1), true, text);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(quote(text) + ": an IPv6 endpoint needs brackets, [address]:port");
        } else {
            address = parseIpv4(host, text);
        }
        return new InetSocketAddress(address, port);
    }

    /** {@code address/bits}, as {@code 10.0.0.0/8} or {@code fd00::/64}; host bits may be set. */
    static IpPrefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(quote(text) + " is not an address/bits prefix");
        }
        String host = text.substring(0, slash);
        InetAddress address = host.contains(":") ? parseIpv6(host, false, text) : parseIpv4(host, text);
        int maximum = address instanceof Inet4Address ? 32 : 128;
        String bits = text.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (bits.length() > 1 && bits.charAt(0) == '0') || Integer.parseInt(bits) > maximum) {
            throw new IllegalArgumentException(quote(text) + ": the prefix length must be 0 to " + maximum);
        }
        return new IpPrefix(address, Integer.parseInt(bits));
    }

    /** Four decimal numbers from 0 to 255 without leading zeros, as Go's netip reads IPv4. */
    static InetAddress parseIpv4(String host, String whole) {
        String[] parts = host.split("\\.", -1);
        byte[] bytes = new byte[4];
        if (parts.length != 4) {
            throw new IllegalArgumentException(quote(whole) + " does not hold an IPv4 address");
        }
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException(quote(whole) + " does not hold an IPv4 address");
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return byAddress(bytes);
    }

    private static InetAddress parseIpv6(String host, boolean zoneAllowed, String whole) {
        if (!host.contains(":") || (!zoneAllowed && host.contains("%"))) {
            throw new IllegalArgumentException(quote(whole) + " does not hold an IPv6 address");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quote(whole) + " does not hold an IPv6 address");
        }
        if (parsed instanceof Inet4Address) {
            // Java turns ::ffff:a.b.c.d into IPv4; WireGuard keeps it an IPv6 address.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            try {
                return Inet6Address.getByAddress(null, mapped, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError("16 bytes are always an IPv6 address", e);
            }
        }
        return parsed;
    }

    private static int parsePort(String text, String whole) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException(quote(whole) + ": the port must be 0 to 65535");
        }
        return Integer.parseInt(text);
    }

    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static String scopeOf(Inet6Address address) {
        String text = address.getHostAddress();
        int percent = text.indexOf('%');
        return percent < 0 ? "" : text.substring(percent);
    }

    /** The text in quotes, cut to 64 characters so that hostile input cannot flood a log line. */
    static String quote(String text) {
        return "\"" + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "\"";
    }
}
