package dev.zonewire.tunnel.net;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.ippacket.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses as the packet paths handle them: a version (4 or 6) and 128 bits in two longs. An IPv4
 * address lives in the low 32 bits of {@code low} with {@code high} zero. Reading these from a packet
 * allocates nothing, unlike {@link IpPacket#source()} or an {@link InetAddress}.
 */
public final class Addresses {
    private static final long IPV4_MASK = 0xFFFF_FFFFL;

    private Addresses() {}

    public static long high(IpAddress address) {
        return address instanceof Ipv6Address v6 ? v6.high() : 0;
    }

    public static long low(IpAddress address) {
        return switch (address) {
            case Ipv4Address v4 -> v4.bits() & IPV4_MASK;
            case Ipv6Address v6 -> v6.low();
        };
    }

    public static long sourceHigh(IpPacket packet) {
        return packet.isIpv4() ? 0 : packet.ipv6().sourceHigh();
    }

    public static long sourceLow(IpPacket packet) {
        return packet.isIpv4() ? packet.ipv4().source() & IPV4_MASK : packet.ipv6().sourceLow();
    }

    public static long destinationHigh(IpPacket packet) {
        return packet.isIpv4() ? 0 : packet.ipv6().destinationHigh();
    }

    public static long destinationLow(IpPacket packet) {
        return packet.isIpv4() ? packet.ipv4().destination() & IPV4_MASK : packet.ipv6().destinationLow();
    }

    /** The address of these bits; allocates, so only for the slow paths. */
    public static IpAddress of(int version, long high, long low) {
        return version == 4 ? new Ipv4Address((int) low) : new Ipv6Address(high, low);
    }

    public static IpAddress of(InetAddress address) {
        return IpAddress.of(address);
    }

    /** The {@link InetAddress} of an address; IPv4-mapped IPv6 addresses stay IPv6. */
    public static InetAddress toInet(IpAddress address) {
        return address.toInetAddress();
    }

    /** Four bytes give an IPv4 address, sixteen an IPv6 one (never turned into IPv4, even when IPv4-mapped). */
    public static InetAddress ofBytes(byte[] bytes) {
        try {
            return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    public static int version(InetAddress address) {
        return address instanceof Inet4Address ? 4 : 6;
    }
}
