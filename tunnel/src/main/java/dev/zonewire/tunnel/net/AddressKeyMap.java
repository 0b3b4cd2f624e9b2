package dev.zonewire.tunnel.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A hash map whose keys are an address in the bit form of {@link Addresses} plus a small tag (the IP
 * version, and for NAT sessions the protocol and port), so that a packet path can look up, insert and
 * remove without allocating a key object. Open addressing with linear probing; removal shifts entries
 * back, so no tombstones accumulate. Null values are not allowed.
 */
public final class AddressKeyMap<V> {
    private static final int MINIMUM_CAPACITY = 16;

    private int[] tags;
    private long[] highs;
    private long[] lows;
    private Object[] values;
    private int size;

    public AddressKeyMap() {
        allocate(MINIMUM_CAPACITY);
    }

    /** The tag of a plain address key: its version. */
    public static int tag(int version) {
        return version;
    }

    /** The tag of a flow key: version, a protocol number below 256 and a 16-bit port or identifier. */
    public static int tag(int version, int protocol, int port) {
        return version | protocol << 4 | port << 12;
    }

    @SuppressWarnings("unchecked")
    public V get(int tag, long high, long low) {
        int slot = find(tag, high, low);
        return slot < 0 ? null : (V) values[slot];
    }

    public boolean containsKey(int tag, long high, long low) {
        return find(tag, high, low) >= 0;
    }

    /** Stores {@code value} under the key, returning the value it replaced or null. */
    @SuppressWarnings("unchecked")
    public V put(int tag, long high, long low, V value) {
        if (value == null) {
            throw new IllegalArgumentException("an address key map holds no null values");
        }
        if ((size + 1) * 2 > values.length) {
            resize(values.length * 2);
        }
        int mask = values.length - 1;
        for (int slot = hash(tag, high, low) & mask; ; slot = (slot + 1) & mask) {
            if (values[slot] == null) {
                store(slot, tag, high, low, value);
                size++;
                return null;
            }
            if (tags[slot] == tag && highs[slot] == high && lows[slot] == low) {
                V previous = (V) values[slot];
                values[slot] = value;
                return previous;
            }
        }
    }

    /** Removes the key, returning its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(int tag, long high, long low) {
        int slot = find(tag, high, low);
        if (slot < 0) {
            return null;
        }
        V previous = (V) values[slot];
        deleteAt(slot);
        return previous;
    }

    /** Removes every entry whose value matches; returns how many went. Not for packet paths: it allocates. */
    @SuppressWarnings("unchecked")
    public int removeIf(Predicate<? super V> condition) {
        List<Key> doomed = new ArrayList<>();
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null && condition.test((V) values[slot])) {
                doomed.add(new Key(tags[slot], highs[slot], lows[slot]));
            }
        }
        doomed.forEach(key -> remove(key.tag, key.high, key.low));
        return doomed.size();
    }

    /** A snapshot of the values, in no particular order. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> snapshot = new ArrayList<>(size);
        for (Object value : values) {
            if (value != null) {
                snapshot.add((V) value);
            }
        }
        return snapshot;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        allocate(MINIMUM_CAPACITY);
        size = 0;
    }

    private int find(int tag, long high, long low) {
        int mask = values.length - 1;
        for (int slot = hash(tag, high, low) & mask; values[slot] != null; slot = (slot + 1) & mask) {
            if (tags[slot] == tag && highs[slot] == high && lows[slot] == low) {
                return slot;
            }
        }
        return -1;
    }

    /** Backward-shift deletion: later entries of the probe run move up, so lookups never stop early at a hole. */
    private void deleteAt(int slot) {
        int mask = values.length - 1;
        int hole = slot;
        for (int next = (hole + 1) & mask; values[next] != null; next = (next + 1) & mask) {
            int home = hash(tags[next], highs[next], lows[next]) & mask;
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                store(hole, tags[next], highs[next], lows[next], values[next]);
                hole = next;
            }
        }
        values[hole] = null;
        size--;
    }

    private void store(int slot, int tag, long high, long low, Object value) {
        tags[slot] = tag;
        highs[slot] = high;
        lows[slot] = low;
        values[slot] = value;
    }

    private void resize(int capacity) {
        int[] oldTags = tags;
        long[] oldHighs = highs;
        long[] oldLows = lows;
        Object[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] == null) {
                continue;
            }
            int slot = hash(oldTags[i], oldHighs[i], oldLows[i]) & mask;
            while (values[slot] != null) {
                slot = (slot + 1) & mask;
            }
            store(slot, oldTags[i], oldHighs[i], oldLows[i], oldValues[i]);
        }
    }

    private void allocate(int capacity) {
        tags = new int[capacity];
        highs = new long[capacity];
        lows = new long[capacity];
        values = new Object[capacity];
    }

    private record Key(int tag, long high, long low) {}

    private static int hash(int tag, long high, long low) {
        long mixed = (high * 0x9E37_79B9_7F4A_7C15L) ^ (low + tag) * 0xC2B2_AE3D_27D4_EB4FL;
        mixed ^= mixed >>> 29;
        mixed *= 0xBF58_476D_1CE4_E5B9L;
        return (int) (mixed ^ mixed >>> 32);
    }
}
