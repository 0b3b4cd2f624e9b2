package dev.zonewire.tunnel.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A longest-prefix-match table from IP networks to values: a binary trie per address family. A lookup
 * walks at most 32 or 128 nodes; {@link #lookup(int, long, long)} allocates nothing at all.
 */
public final class PrefixTable<V> {
    private Node<V> ipv4Root = new Node<>();
    private Node<V> ipv6Root = new Node<>();
    private int size;

    /** Stores {@code value} under exactly {@code network}, returning the value it replaced or null. */
    public V put(IpNetwork network, V value) {
        if (value == null) {
            throw new IllegalArgumentException("a prefix table holds no null values");
        }
        Node<V> node = root(network.address());
        byte[] bits = network.address().getAddress();
        for (int depth = 0; depth < network.prefixLength(); depth++) {
            node = node.childOrCreate(bit(bits, depth));
        }
        V previous = node.value;
        node.network = network;
        node.value = value;
        if (previous == null) {
            size++;
        }
        return previous;
    }

    /** The value stored under exactly {@code network}, or null. */
    public V get(IpNetwork network) {
        Node<V> node = exactNode(network);
        return node == null ? null : node.value;
    }

    /** Removes exactly {@code network}, returning its value or null; emptied branches are not pruned (they are few). */
    public V remove(IpNetwork network) {
        Node<V> node = exactNode(network);
        if (node == null || node.value == null) {
            return null;
        }
        V previous = node.value;
        node.value = null;
        node.network = null;
        size--;
        return previous;
    }

    /** The most specific entry whose network contains {@code address}, or null. */
    public Map.Entry<IpNetwork, V> longestMatch(InetAddress address) {
        return longestMatch(address.getAddress(), address instanceof Inet4Address ? ipv4Root : ipv6Root);
    }

    /** The value of {@link #longestMatch(InetAddress)}, or null. */
    public V lookup(InetAddress address) {
        Map.Entry<IpNetwork, V> match = longestMatch(address);
        return match == null ? null : match.getValue();
    }

    /**
     * The value of the most specific entry containing the address given as bits (see {@link Addresses}),
     * or null. Allocates nothing: the packet paths use it.
     */
    public V lookup(int version, long high, long low) {
        Node<V> node = version == 4 ? ipv4Root : ipv6Root;
        int length = version == 4 ? 32 : 128;
        V best = node.value;
        for (int depth = 0; depth < length; depth++) {
            node = rawBit(version, high, low, depth) == 0 ? node.zero : node.one;
            if (node == null) {
                break;
            }
            if (node.value != null) {
                best = node.value;
            }
        }
        return best;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        ipv4Root = new Node<>();
        ipv6Root = new Node<>();
        size = 0;
    }

    /** Every entry, IPv4 first, each family in address order with shorter prefixes before longer ones. */
    public List<Map.Entry<IpNetwork, V>> entries() {
        List<Map.Entry<IpNetwork, V>> entries = new ArrayList<>(size);
        collect(ipv4Root, entries);
        collect(ipv6Root, entries);
        return entries;
    }

    private Map.Entry<IpNetwork, V> longestMatch(byte[] bits, Node<V> root) {
        Node<V> node = root;
        Node<V> best = root.value != null ? root : null;
        for (int depth = 0; depth < bits.length * 8 && node != null; depth++) {
            node = bit(bits, depth) == 0 ? node.zero : node.one;
            if (node != null && node.value != null) {
                best = node;
            }
        }
        return best == null ? null : Map.entry(best.network, best.value);
    }

    private Node<V> exactNode(IpNetwork network) {
        Node<V> node = root(network.address());
        byte[] bits = network.address().getAddress();
        for (int depth = 0; depth < network.prefixLength() && node != null; depth++) {
            node = bit(bits, depth) == 0 ? node.zero : node.one;
        }
        return node;
    }

    private Node<V> root(InetAddress address) {
        return address instanceof Inet4Address ? ipv4Root : ipv6Root;
    }

    private static int rawBit(int version, long high, long low, int depth) {
        if (version == 4) {
            return (int) (low >>> (31 - depth)) & 1;
        }
        return (int) (depth < 64 ? high >>> (63 - depth) : low >>> (127 - depth)) & 1;
    }

    private static int bit(byte[] bits, int index) {
        return bits[index >>> 3] >>> (7 - (index & 7)) & 1;
    }

    private static <V> void collect(Node<V> node, List<Map.Entry<IpNetwork, V>> into) {
        if (node == null) {
            return;
        }
        if (node.value != null) {
            into.add(Map.entry(node.network, node.value));
        }
        collect(node.zero, into);
        collect(node.one, into);
    }

    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        IpNetwork network;
        V value;

        Node<V> childOrCreate(int bit) {
            if (bit == 0) {
                return zero == null ? zero = new Node<>() : zero;
            }
            return one == null ? one = new Node<>() : one;
        }
    }
}
