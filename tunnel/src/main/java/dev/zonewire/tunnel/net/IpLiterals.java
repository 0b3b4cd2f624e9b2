package dev.zonewire.tunnel.net;

import dev.zonewire.ippacket.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict parsing and canonical printing of IP address literals. Parsing never does a DNS lookup and
 * accepts only dotted-quad IPv4 and plain IPv6 (no zone id, no IPv4-mapped form that would turn into
 * an IPv4 address); printing follows RFC 5952, the form the portal and the reference use.
 */
public final class IpLiterals {
    private static final Pattern DOTTED_QUAD = Pattern.compile("(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final int LONGEST_IPV6_LITERAL = 45;

    private IpLiterals() {}

    /** The address written in {@code literal}, or an {@link IllegalArgumentException} that repeats at most the literal's length. */
    public static InetAddress parse(String literal) {
        if (literal.indexOf(':') >= 0) {
            return parseIpv6(literal);
        }
        return parseIpv4(literal);
    }

    public static Inet4Address parseIpv4(String literal) {
        if (!DOTTED_QUAD.matcher(literal).matches()) {
            throw new IllegalArgumentException("not an IPv4 address");
        }
        return (Inet4Address) Inet4Address.ofLiteral(literal);
    }

    public static Inet6Address parseIpv6(String literal) {
        if (literal.length() > LONGEST_IPV6_LITERAL || literal.indexOf('%') >= 0 || literal.indexOf(':') < 0) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
        if (!(parsed instanceof Inet6Address v6)) {
            throw new IllegalArgumentException("an IPv4-mapped IPv6 address is not accepted here");
        }
        return v6;
    }

    /** RFC 5952 text: IPv4 dotted quad; IPv6 lower case with the longest run of two or more zero groups as {@code ::}. */
    public static String format(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return Ipv6Address.of(v6).toString();
        }
        return address.getHostAddress();
    }
}
