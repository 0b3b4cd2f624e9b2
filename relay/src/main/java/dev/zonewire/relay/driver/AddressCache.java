package dev.zonewire.relay.driver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns the raw source address of a received datagram into an {@link InetSocketAddress} without
 * allocating when the same address was seen recently: the server looks clients and peers up by
 * {@code InetSocketAddress}, and a relay hears the same few thousand of them over and over. The
 * cache is direct-mapped with a fixed number of entries, so hostile traffic from ever new
 * addresses costs an allocation per datagram but never memory.
 */
final class AddressCache {
    private static final VarHandle LONG_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int mask;
    private final long[] highs;
    private final long[] lows;
    private final int[] portsAndLengths;
    private final InetSocketAddress[] addresses;

    /** @param entries a power of two */
    AddressCache(int entries) {
        if (Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, not " + entries);
        }
        this.mask = entries - 1;
        this.highs = new long[entries];
        this.lows = new long[entries];
        this.portsAndLengths = new int[entries];
        this.addresses = new InetSocketAddress[entries];
    }

    /** The address {@code length} (4 or 16) bytes of {@code ip} and {@code port} name. */
    InetSocketAddress get(byte[] ip, int length, int port) {
        long high = length == 16 ? (long) LONG_BIG_ENDIAN.get(ip, 0) : 0;
        long low = length == 16 ? (long) LONG_BIG_ENDIAN.get(ip, 8) : (int) INT_BIG_ENDIAN.get(ip, 0) & 0xFFFFFFFFL;
        int portAndLength = port << 8 | length;
        int slot = slot(high, low, portAndLength);
        InetSocketAddress cached = addresses[slot];
        if (cached != null && highs[slot] == high && lows[slot] == low && portsAndLengths[slot] == portAndLength) {
            return cached;
        }
        InetSocketAddress address = new InetSocketAddress(inetAddress(ip, length), port);
        highs[slot] = high;
        lows[slot] = low;
        portsAndLengths[slot] = portAndLength;
        addresses[slot] = address;
        return address;
    }

    private int slot(long high, long low, int portAndLength) {
        long hash = (high * 0x9E3779B97F4A7C15L) ^ (low * 0xC2B2AE3D27D4EB4FL) ^ (portAndLength * 0x165667B1L);
        return (int) (hash ^ (hash >>> 29) ^ (hash >>> 47)) & mask;
    }

    private static InetAddress inetAddress(byte[] ip, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(ip, length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length, e);
        }
    }
}
