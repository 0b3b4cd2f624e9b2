package dev.zonewire.ippacket;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 address; {@code bits} holds the four octets in network order, the first in the high byte. */
public record Ipv4Address(int bits) implements IpAddress {

    public static Ipv4Address of(int a, int b, int c, int d) {
        if (((a | b | c | d) & ~0xFF) != 0) {
            throw new IllegalArgumentException("octet out of range in " + a + "." + b + "." + c + "." + d);
        }
        return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
    }

    public static Ipv4Address of(Inet4Address address) {
        byte[] octets = address.getAddress();
        return of(octets[0] & 0xFF, octets[1] & 0xFF, octets[2] & 0xFF, octets[3] & 0xFF);
    }

    public static Ipv4Address parse(String literal) {
        return of(Inet4Address.ofLiteral(literal));
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xFF) + "." + (bits >>> 8 & 0xFF) + "." + (bits & 0xFF);
    }
}
