package dev.zonewire.cli.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** IP address literals (never names, so no DNS lookup at start) and {@code IP:PORT} socket addresses. */
final class AddressConverters {
    private AddressConverters() {
    }

    static final class Ipv4 implements ITypeConverter<Inet4Address> {
        @Override
        public Inet4Address convert(String value) {
            if (literal(value) instanceof Inet4Address address) {
                return address;
            }
            throw new TypeConversionException("'" + value + "' is not an IPv4 address such as 203.0.113.7");
        }
    }

    static final class Ipv6 implements ITypeConverter<Inet6Address> {
        @Override
        public Inet6Address convert(String value) {
            if (literal(value) instanceof Inet6Address address) {
                return address;
            }
            throw new TypeConversionException("'" + value + "' is not an IPv6 address such as 2001:db8::7");
        }
    }

    static final class Ip implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            InetAddress address = literal(value);
            if (address == null) {
                throw new TypeConversionException("'" + value + "' is not an IP address");
            }
            return address;
        }
    }

    /** {@code 0.0.0.0:8080}, {@code [::]:8080} or {@code 127.0.0.1:0}. */
    static final class SocketAddress implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            InetAddress ip = colon > 0 ? literal(value.substring(0, colon).replaceAll("^\\[(.*)]$", "$1")) : null;
            int port = colon > 0 ? port(value.substring(colon + 1)) : -1;
            if (ip == null || port < 0) {
                throw new TypeConversionException("'" + value + "' is not an address such as 0.0.0.0:8080 or [::]:8080");
            }
            return new InetSocketAddress(ip, port);
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                return port <= 65535 ? port : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    private static InetAddress literal(String value) {
        try {
            return InetAddress.ofLiteral(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
