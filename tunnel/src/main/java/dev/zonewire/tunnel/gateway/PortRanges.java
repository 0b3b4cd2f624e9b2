package dev.zonewire.tunnel.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A set of ports as sorted, merged, inclusive ranges; {@link #contains} is a binary search that allocates nothing. */
final class PortRanges {
    static final PortRanges NONE = new PortRanges(new int[0], new int[0]);

    private final int[] starts;
    private final int[] ends;

    private PortRanges(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** The union of {@code ranges} (pairs of start and end); a pair whose start lies after its end adds nothing. */
    static PortRanges union(List<int[]> ranges) {
        List<int[]> sorted = new ArrayList<>(ranges.stream().filter(range -> range[0] <= range[1]).toList());
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] range : sorted) {
            int[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && range[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(new int[] {range[0], range[1]});
            }
        }
        return new PortRanges(merged.stream().mapToInt(range -> range[0]).toArray(), merged.stream().mapToInt(range -> range[1]).toArray());
    }

    boolean contains(int port) {
        int index = Arrays.binarySearch(starts, port);
        if (index >= 0) {
            return true;
        }
        int before = -index - 2;
        return before >= 0 && port <= ends[before];
    }

    boolean isEmpty() {
        return starts.length == 0;
    }
}
