package dev.zonewire.tunnel.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network such as {@code 172.20.0.0/16} or {@code fd00::/64}. Host bits must be zero,
 * as the reference's network type requires.
 */
public record IpNetwork(InetAddress address, int prefixLength) {

    public IpNetwork {
        int maximum = maximumPrefix(address);
        if (prefixLength < 0 || prefixLength > maximum) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + maximum);
        }
        if (!isMasked(address.getAddress(), prefixLength)) {
            throw new IllegalArgumentException("host bits set in " + IpLiterals.format(address) + "/" + prefixLength);
        }
    }

    /** Parses {@code address/prefix}; a bare address is not a network here. */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an IP network (no prefix length)");
        }
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an IP network (bad prefix length)");
        }
        return new IpNetwork(IpLiterals.parse(text.substring(0, slash)), Integer.parseInt(prefix));
    }

    /** The /32 or /128 network holding just {@code address}. */
    public static IpNetwork host(InetAddress address) {
        return new IpNetwork(address, maximumPrefix(address));
    }

    /** The network of {@code prefixLength} bits that contains {@code address}, host bits cleared. */
    public static IpNetwork containing(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpNetwork(Addresses.ofBytes(bytes), prefixLength);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean contains(InetAddress candidate) {
        if ((candidate instanceof Inet4Address) != isIpv4()) {
            return false;
        }
        return prefixMatches(address.getAddress(), candidate.getAddress(), prefixLength);
    }

    /** True when every address of {@code other} lies in this network. */
    public boolean contains(IpNetwork other) {
        return other.prefixLength >= prefixLength && contains(other.address);
    }

    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + prefixLength;
    }

    static int maximumPrefix(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    static boolean prefixMatches(byte[] network, byte[] candidate, int prefixLength) {
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (network[i] != candidate[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (network[fullBytes] & mask) == (candidate[fullBytes] & mask);
    }

    private static boolean isMasked(byte[] bytes, int prefixLength) {
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

}
