package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cryptokey routing: which peer owns an IP address, by longest-prefix match over the peers' allowed
 * IPs. An outgoing packet goes to the peer that owns its destination; an incoming packet is
 * accepted only from the peer that owns its source.
 *
 * <p>A table is immutable, so the packet threads read it without a lock while configuration builds
 * the next one with {@link #toBuilder()} and publishes it whole. Lookups allocate nothing: one
 * path-compressed binary trie per address family, walked with the address read straight from the
 * packet.
 *
 * @param <P> the peer type
 */
public final class AllowedIps<P> {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final AllowedIps<?> EMPTY = new AllowedIps<>(Map.of());

    private final Map<IpPrefix, P> entries;
    private final Node<P> ipv4;
    private final Node<P> ipv6;

    private AllowedIps(Map<IpPrefix, P> entries) {
        this.entries = Collections.unmodifiableMap(entries);
        Node<P> v4 = null;
        Node<P> v6 = null;
        for (Map.Entry<IpPrefix, P> entry : entries.entrySet()) {
            IpPrefix prefix = entry.getKey();
            byte[] address = prefix.address().getAddress();
            if (prefix.isIpv4()) {
                long high = ((long) (int) INT.get(address, 0)) << 32;
                v4 = insert(v4, high, 0, prefix.length(), entry.getValue());
            } else {
                v6 = insert(v6, (long) LONG.get(address, 0), (long) LONG.get(address, 8), prefix.length(),
                        entry.getValue());
            }
        }
        this.ipv4 = v4;
        this.ipv6 = v6;
    }

    @SuppressWarnings("unchecked")
    public static <P> AllowedIps<P> empty() {
        return (AllowedIps<P>) EMPTY;
    }

    /** The peer that owns the destination address of the IPv4 or IPv6 packet at {@code packet[offset, offset+length)}. */
    public P forDestination(byte[] packet, int offset, int length) {
        return lookup(packet, offset, length, 16, 24);
    }

    /** The peer that owns the source address of the packet, to check that the sender may use it. */
    public P forSource(byte[] packet, int offset, int length) {
        return lookup(packet, offset, length, 12, 8);
    }

    /** The peer that owns an IPv4 address (as a big-endian int), or null. */
    public P lookupIpv4(int address) {
        return lookup(ipv4, ((long) address) << 32, 0, 32);
    }

    /** The peer that owns an IPv6 address (its two big-endian halves), or null. */
    public P lookupIpv6(long high, long low) {
        return lookup(ipv6, high, low, 128);
    }

    /** Every prefix with its peer, in the order they were added; prefixes have their host bits cleared. */
    public Map<IpPrefix, P> entries() {
        return entries;
    }

    /** The prefixes {@code peer} owns, in the order they were added. */
    public List<IpPrefix> prefixesOf(P peer) {
        List<IpPrefix> prefixes = new ArrayList<>();
        entries.forEach((prefix, owner) -> {
            if (owner.equals(peer)) {
                prefixes.add(prefix);
            }
        });
        return prefixes;
    }

    public Builder<P> toBuilder() {
        return new Builder<>(entries);
    }

    /** Changes to a table, published as a new table by {@link #build()}; not thread-safe. */
    public static final class Builder<P> {
        private final LinkedHashMap<IpPrefix, P> entries;

        private Builder(Map<IpPrefix, P> entries) {
            this.entries = new LinkedHashMap<>(entries);
        }

        /** Gives {@code prefix} to {@code peer}, taking it from any peer that had it. */
        public Builder<P> add(IpPrefix prefix, P peer) {
            Objects.requireNonNull(peer, "peer");
            entries.put(prefix.network(), peer);
            return this;
        }

        /** Takes {@code prefix} away from {@code peer}, if {@code peer} has it. */
        public Builder<P> remove(IpPrefix prefix, P peer) {
            entries.remove(prefix.network(), peer);
            return this;
        }

        public Builder<P> removePeer(P peer) {
            entries.values().removeIf(owner -> owner.equals(peer));
            return this;
        }

        public AllowedIps<P> build() {
            return entries.isEmpty() ? empty() : new AllowedIps<>(new LinkedHashMap<>(entries));
        }
    }

    private P lookup(byte[] packet, int offset, int length, int ipv4Field, int ipv6Field) {
        if (length < 1) {
            return null;
        }
        int version = (packet[offset] & 0xff) >>> 4;
        if (version == 4 && length >= 20) {
            return lookupIpv4((int) INT.get(packet, offset + ipv4Field));
        }
        if (version == 6 && length >= 40) {
            return lookupIpv6((long) LONG.get(packet, offset + ipv6Field), (long) LONG.get(packet, offset + ipv6Field + 8));
        }
        return null;
    }

    /** Walks down while the address stays inside each node's prefix; the deepest node with a peer wins. */
    private static <P> P lookup(Node<P> root, long high, long low, int addressBits) {
        P best = null;
        Node<P> node = root;
        while (node != null && node.matches(high, low)) {
            if (node.peer != null) {
                best = node.peer;
            }
            if (node.bits == addressBits) {
                break;
            }
            node = bit(high, low, node.bits) == 0 ? node.zero : node.one;
        }
        return best;
    }

    private static <P> Node<P> insert(Node<P> node, long high, long low, int bits, P peer) {
        if (node == null) {
            return new Node<>(high, low, bits, peer);
        }
        int common = Math.min(commonPrefixLength(node.high, node.low, high, low), Math.min(node.bits, bits));
        if (common == node.bits && common == bits) {
            node.peer = peer;
            return node;
        }
        if (common == node.bits) {
            if (bit(high, low, node.bits) == 0) {
                node.zero = insert(node.zero, high, low, bits, peer);
            } else {
                node.one = insert(node.one, high, low, bits, peer);
            }
            return node;
        }
        Node<P> fork = new Node<>(high, low, common, common == bits ? peer : null);
        fork.attach(node);
        if (common != bits) {
            fork.attach(new Node<>(high, low, bits, peer));
        }
        return fork;
    }

    private static int commonPrefixLength(long high1, long low1, long high2, long low2) {
        long high = high1 ^ high2;
        return high != 0 ? Long.numberOfLeadingZeros(high) : 64 + Long.numberOfLeadingZeros(low1 ^ low2);
    }

    private static int bit(long high, long low, int index) {
        return (int) (index < 64 ? high >>> (63 - index) : low >>> (127 - index)) & 1;
    }

    private static long highMask(int bits) {
        return bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static long lowMask(int bits) {
        return bits <= 64 ? 0 : -1L << (128 - bits);
    }

    /** A trie node: the prefix of {@code bits} bits that every address below it shares. */
    private static final class Node<P> {
        final long high;
        final long low;
        final int bits;
        P peer;
        Node<P> zero;
        Node<P> one;

        Node(long high, long low, int bits, P peer) {
            this.high = high & highMask(bits);
            this.low = low & lowMask(bits);
            this.bits = bits;
            this.peer = peer;
        }

        boolean matches(long addressHigh, long addressLow) {
            return ((addressHigh & highMask(bits)) == high) && ((addressLow & lowMask(bits)) == low);
        }

        void attach(Node<P> child) {
            if (bit(child.high, child.low, bits) == 0) {
                zero = child;
            } else {
                one = child;
            }
        }
    }

    @Override
    public String toString() {
        return "AllowedIps" + entries;
    }
}
