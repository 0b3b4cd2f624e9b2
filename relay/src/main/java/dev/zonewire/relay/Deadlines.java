package dev.zonewire.relay;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Expiry instants in time order, at most one per target: scheduling a target again replaces its
 * instant instead of adding one, so that refreshing an allocation or a channel over and over
 * cannot grow the queue.
 */
final class Deadlines {

    /** Something that has at most one pending deadline (an allocation or a channel binding). */
    abstract static sealed class Target permits Allocation, ChannelBinding {
        private Entry entry;
    }

    private record Entry(long at, long sequence, Target target) {
    }

    private final TreeSet<Entry> queue = new TreeSet<>(
            Comparator.comparingLong(Entry::at).thenComparingLong(Entry::sequence));
    private long sequence;

    void schedule(Target target, long at) {
        cancel(target);
        target.entry = new Entry(at, sequence++, target);
        queue.add(target.entry);
    }

    void cancel(Target target) {
        if (target.entry != null) {
            queue.remove(target.entry);
            target.entry = null;
        }
    }

    /** The earliest instant, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    long next() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.first().at();
    }

    /** Removes and returns a target whose instant is at or before {@code now}, or null. */
    Target pollDue(long now) {
        if (queue.isEmpty() || queue.first().at() > now) {
            return null;
        }
        Entry due = queue.pollFirst();
        due.target().entry = null;
        return due.target();
    }

    int size() {
        return queue.size();
    }
}
