package dev.zonewire.phoenix.loopback;

import dev.zonewire.phoenix.client.ChannelEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects a channel's events and lets a test wait for one. */
final class EventRecorder implements Consumer<ChannelEvent> {
    final List<ChannelEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void accept(ChannelEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized <T extends ChannelEvent> T await(Class<T> type, Predicate<T> matching, int occurrence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> found = events.stream().filter(type::isInstance).map(type::cast).filter(matching).toList();
            if (found.size() >= occurrence) {
                return found.get(occurrence - 1);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " #" + occurrence + " within " + timeout + "; events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    <T extends ChannelEvent> T await(Class<T> type, int occurrence) throws InterruptedException {
        return await(type, e -> true, occurrence, Duration.ofSeconds(20));
    }

    long count(Class<? extends ChannelEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }
}
