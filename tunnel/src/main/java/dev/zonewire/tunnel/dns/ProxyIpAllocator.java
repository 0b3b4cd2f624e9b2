package dev.zonewire.tunnel.dns;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.Ipv4Address;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.Addresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hands out proxy addresses for DNS-resource names (tunnel.md §3.8.3): each new name takes the next
 * block of 4 IPv4 addresses from {@code 100.96.0.0/11} (skipping the sentinel /24) and 4 IPv6 from
 * {@code fd00:2021:1111:8000::/107}. A name keeps its block for as long as it is held, so answers stay
 * stable across resource updates and resets.
 *
 * <p>Unlike the reference, the table is bounded: at {@code capacity} names, a new name reuses the block
 * of the least recently used name, but only one unused (no query, no packet) for {@code reuseAfterNanos};
 * otherwise the new name gets nothing and the caller answers SERVFAIL. Recycled names are reported through
 * {@link #pollRecycled()} so that state keyed by their addresses can be dropped.
 *
 * <p>Addresses are handed out in sequence, so the name of an address is found by arithmetic on its bits
 * ({@link #byAddress(int, long, long)}), without a map and without allocating: the packet path uses it.
 */
public final class ProxyIpAllocator {
    /** Blocks in the IPv4 pool (the smaller one): (2^21 - 2 - 256) / 4. */
    public static final int POOL_BLOCKS = ((1 << 21) - 2 - 256) / ProxyIps.PER_FAMILY;
    public static final int DEFAULT_CAPACITY = 65_536;
    public static final long DEFAULT_REUSE_AFTER_NANOS = 3_600_000_000_000L;

    private static final int IPV4_BASE = toInt(AddressPlan.PROXY_V4.address());
    private static final int SENTINEL_OFFSET = toInt(AddressPlan.SENTINELS_V4.address()) - IPV4_BASE;
    private static final byte[] IPV6_BASE = AddressPlan.PROXY_V6.address().getAddress();
    private static final long IPV6_BASE_HIGH = Addresses.high(IpAddress.of(AddressPlan.PROXY_V6.address()));
    private static final long IPV6_BASE_LOW = Addresses.low(IpAddress.of(AddressPlan.PROXY_V6.address()));
    private static final int POOL_SIZE = 1 << 21;

    private final int capacity;
    private final long reuseAfterNanos;
    /** In query order, least recently queried first. */
    private final LinkedHashMap<String, Holder> byName = new LinkedHashMap<>(16, 0.75f, true);
    /** Holders by block number; a block is the sequence number of an address divided by 4. */
    private Holder[] byBlock = new Holder[64];
    private final List<String> recycled = new ArrayList<>();
    private int nextFreshBlock;

    public ProxyIpAllocator() {
        this(DEFAULT_CAPACITY, DEFAULT_REUSE_AFTER_NANOS);
    }

    public ProxyIpAllocator(int capacity, long reuseAfterNanos) {
        if (capacity < 1 || capacity > POOL_BLOCKS) {
            throw new IllegalArgumentException("capacity must lie in 1.." + POOL_BLOCKS);
        }
        this.capacity = capacity;
        this.reuseAfterNanos = reuseAfterNanos;
    }

    /**
     * The addresses of {@code name} (lower case, no trailing dot), assigning a block on first use and
     * re-tagging it with {@code resourceId}; null when the table is full and nothing may be reused yet.
     */
    public ProxyIps assign(String name, UUID resourceId, long nowNanos) {
        Holder holder = byName.get(name);
        if (holder == null) {
            Integer block = freeBlock(nowNanos);
            if (block == null) {
                return null;
            }
            holder = new Holder(block, addresses(name, resourceId, block));
            byName.put(name, holder);
            if (block >= byBlock.length) {
                byBlock = Arrays.copyOf(byBlock, Math.max(block + 1, byBlock.length * 2));
            }
            byBlock[block] = holder;
        } else if (!holder.ips.resourceId().equals(resourceId)) {
            holder.ips = holder.ips.withResource(resourceId);
        }
        holder.lastUsedNanos = nowNanos;
        return holder.ips;
    }

    /** The name a proxy address was handed out for, or null. */
    public ProxyIps byAddress(InetAddress address) {
        IpAddress bits = IpAddress.of(address);
        return byAddress(bits.version(), Addresses.high(bits), Addresses.low(bits));
    }

    /** The name a proxy address (as bits, see {@link Addresses}) was handed out for, or null. Allocates nothing. */
    public ProxyIps byAddress(int version, long high, long low) {
        Holder holder = holder(version, high, low);
        return holder == null ? null : holder.ips;
    }

    /** Records traffic to a proxy address, so that its name is not recycled while in use. Allocates nothing. */
    public void markUsed(int version, long high, long low, long nowNanos) {
        Holder holder = holder(version, high, low);
        if (holder != null) {
            holder.lastUsedNanos = nowNanos;
        }
    }

    public int size() {
        return byName.size();
    }

    /** The next name whose block was given to another name, or null. */
    public String pollRecycled() {
        return recycled.isEmpty() ? null : recycled.removeFirst();
    }

    private Integer freeBlock(long nowNanos) {
        if (byName.size() < capacity) {
            return nextFreshBlock++;
        }
        Iterator<Map.Entry<String, Holder>> leastRecentlyQueried = byName.entrySet().iterator();
        while (leastRecentlyQueried.hasNext()) {
            Map.Entry<String, Holder> entry = leastRecentlyQueried.next();
            Holder holder = entry.getValue();
            if (nowNanos - holder.lastUsedNanos >= reuseAfterNanos) {
                leastRecentlyQueried.remove();
                byBlock[holder.block] = null;
                recycled.add(entry.getKey());
                return holder.block;
            }
        }
        return null;
    }

    private Holder holder(int version, long high, long low) {
        long sequence = sequence(version, high, low);
        if (sequence < 0) {
            return null;
        }
        long block = sequence / ProxyIps.PER_FAMILY;
        return block < byBlock.length ? byBlock[(int) block] : null;
    }

    /** The position of a proxy address in its pool's sequence, or -1 when it is none of ours. */
    private static long sequence(int version, long high, long low) {
        if (version == 4) {
            long offset = low - (IPV4_BASE & 0xFFFF_FFFFL);
            if (offset < 1 || offset >= POOL_SIZE - 1) {
                return -1;
            }
            if (offset >= SENTINEL_OFFSET && offset < SENTINEL_OFFSET + 256) {
                return -1;
            }
            return offset >= SENTINEL_OFFSET ? offset - 1 - 256 : offset - 1;
        }
        if (high != IPV6_BASE_HIGH) {
            return -1;
        }
        long offset = low - IPV6_BASE_LOW;
        return offset >= 0 && offset < POOL_SIZE ? offset : -1;
    }

    private static ProxyIps addresses(String name, UUID resourceId, int block) {
        List<Inet4Address> ipv4 = new ArrayList<>(ProxyIps.PER_FAMILY);
        List<Inet6Address> ipv6 = new ArrayList<>(ProxyIps.PER_FAMILY);
        for (int i = 0; i < ProxyIps.PER_FAMILY; i++) {
            int sequence = block * ProxyIps.PER_FAMILY + i;
            ipv4.add(ipv4At(sequence));
            ipv6.add(ipv6At(sequence));
        }
        return new ProxyIps(name, resourceId, ipv4, ipv6);
    }

    /** The usable hosts of the /11 in order, from {@code .0.1}, with the sentinel /24 left out. */
    private static Inet4Address ipv4At(int sequence) {
        int offset = sequence + 1;
        if (offset >= SENTINEL_OFFSET) {
            offset += 256;
        }
        return (Inet4Address) new Ipv4Address(IPV4_BASE + offset).toInetAddress();
    }

    /** Every address of the /107 in order, starting at its first. */
    private static Inet6Address ipv6At(int sequence) {
        byte[] bytes = IPV6_BASE.clone();
        for (int i = 15, carry = sequence; i >= 12; i--, carry >>>= 8) {
            bytes[i] = (byte) (bytes[i] + (carry & 0xFF));
        }
        return (Inet6Address) Addresses.ofBytes(bytes);
    }

    private static int toInt(InetAddress address) {
        return Ipv4Address.of((Inet4Address) address).bits();
    }

    private static final class Holder {
        final int block;
        ProxyIps ips;
        long lastUsedNanos;

        Holder(int block, ProxyIps ips) {
            this.block = block;
            this.ips = ips;
        }
    }
}
