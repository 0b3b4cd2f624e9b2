package dev.zonewire.wireguard;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Our session indices: the random 32-bit receiver index a peer puts in every message to us, mapped
 * to the pending handshake or the keypair it names. An open-addressing table on primitive ints, so
 * the lookup on every transport packet neither boxes nor allocates. Index 0 is never handed out;
 * it marks an empty slot.
 */
final class IndexTable {
    private static final int INITIAL_CAPACITY = 16;

    private int[] keys = new int[INITIAL_CAPACITY];
    private Indexed[] values = new Indexed[INITIAL_CAPACITY];
    private int size;

    /** Picks a fresh random index for {@code target} and records it. */
    int allocate(Indexed target, RandomGenerator random) {
        while (true) {
            int index = random.nextInt();
            if (index != 0 && get(index) == null) {
                put(index, target);
                return index;
            }
        }
    }

    /** The handshake or keypair for {@code index}, or null. */
    Indexed get(int index) {
        int slot = find(index);
        return slot < 0 ? null : values[slot];
    }

    /** Points an existing index at a new target: a handshake's index becomes its keypair's. */
    void replace(int index, Indexed target) {
        int slot = find(index);
        if (slot >= 0) {
            values[slot] = target;
        }
    }

    void remove(int index) {
        int slot = find(index);
        if (slot < 0) {
            return;
        }
        int mask = keys.length - 1;
        keys[slot] = 0;
        values[slot] = null;
        size--;
        // Shift later members of the probe run back, so that lookups never stop at the hole.
        for (int next = (slot + 1) & mask; keys[next] != 0; next = (next + 1) & mask) {
            int key = keys[next];
            Indexed value = values[next];
            keys[next] = 0;
            values[next] = null;
            size--;
            put(key, value);
        }
    }

    int size() {
        return size;
    }

    private void put(int index, Indexed target) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = slotOf(index, mask);
        while (keys[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = index;
        values[slot] = target;
        size++;
    }

    private int find(int index) {
        if (index == 0) {
            return -1;
        }
        int mask = keys.length - 1;
        for (int slot = slotOf(index, mask); keys[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == index) {
                return slot;
            }
        }
        return -1;
    }

    private void grow() {
        int[] oldKeys = keys;
        Indexed[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Indexed[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
        Arrays.fill(oldValues, null);
    }

    /** We draw every index at random, so its low bits spread well enough without hashing. */
    private static int slotOf(int index, int mask) {
        return index & mask;
    }
}
