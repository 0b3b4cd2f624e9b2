package dev.zonewire.relay;

import java.util.Arrays;

/**
 * Channel number to binding, for one allocation: open addressing on a small int array, so that
 * looking up a channel on the packet path neither boxes nor allocates.
 */
final class ChannelTable {
    private int[] numbers = new int[4];
    private ChannelBinding[] bindings = new ChannelBinding[4];
    private int size;

    ChannelBinding get(int number) {
        int mask = numbers.length - 1;
        for (int i = number & mask; numbers[i] != 0; i = (i + 1) & mask) {
            if (numbers[i] == number) {
                return bindings[i];
            }
        }
        return null;
    }

    void put(ChannelBinding binding) {
        if ((size + 1) * 2 > numbers.length) {
            grow();
        }
        insert(binding);
        size++;
    }

    void remove(int number) {
        int mask = numbers.length - 1;
        int i = number & mask;
        while (numbers[i] != number) {
            if (numbers[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        numbers[i] = 0;
        bindings[i] = null;
        size--;
        // Re-insert the rest of the probe run so later lookups do not stop at the hole.
        for (int j = (i + 1) & mask; numbers[j] != 0; j = (j + 1) & mask) {
            ChannelBinding moved = bindings[j];
            numbers[j] = 0;
            bindings[j] = null;
            insert(moved);
        }
    }

    private void insert(ChannelBinding binding) {
        int mask = numbers.length - 1;
        int i = binding.number & mask;
        while (numbers[i] != 0) {
            i = (i + 1) & mask;
        }
        numbers[i] = binding.number;
        bindings[i] = binding;
    }

    private void grow() {
        ChannelBinding[] old = bindings;
        numbers = new int[numbers.length * 2];
        bindings = new ChannelBinding[bindings.length * 2];
        Arrays.stream(old).filter(b -> b != null).forEach(this::insert);
    }
}
