package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which channels are present under which key on a presence topic, tied to the channels' lives
 * (spec 4): an entry disappears by itself when its channel ends, and every change is announced as
 * a {@link Diff} of joins and leaves, like Phoenix Presence's {@code presence_diff}. It is local
 * to one server; several portal nodes would need to share it.
 */
public final class Presence {
    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

    /** Keys that joined or left one presence topic, each with the metas involved. */
    public record Diff(String topic, Map<String, List<JsonNode>> joins, Map<String, List<JsonNode>> leaves) {}

    private record Tracked(Channel<?> channel, String key, JsonNode meta) {}

    private final Map<String, List<Tracked>> byTopic = new HashMap<>();
    /** The topics each channel tracked something on, so that its end does not scan every topic. */
    private final Map<Channel<?>, Set<String>> topicsByChannel = new HashMap<>();
    private final Map<String, List<Consumer<Diff>>> listeners = new HashMap<>();

    /** Announces {@code key} with {@code meta} on {@code topic} for as long as {@code channel} lives. */
    public void track(Channel<?> channel, String topic, String key, JsonNode meta) {
        synchronized (this) {
            if (!channel.isOpen()) {
                return;
            }
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(new Tracked(channel, key, meta));
            topicsByChannel.computeIfAbsent(channel, c -> new HashSet<>()).add(topic);
        }
        announce(new Diff(topic, Map.of(key, List.of(meta)), Map.of()));
    }

    /** Withdraws what {@code channel} tracked under {@code key} on {@code topic}. */
    public void untrack(Channel<?> channel, String topic, String key) {
        List<Tracked> removed = new ArrayList<>();
        synchronized (this) {
            List<Tracked> entries = byTopic.get(topic);
            if (entries == null) {
                return;
            }
            for (var iterator = entries.iterator(); iterator.hasNext(); ) {
                Tracked tracked = iterator.next();
                if (tracked.channel() == channel && tracked.key().equals(key)) {
                    removed.add(tracked);
                    iterator.remove();
                }
            }
            if (entries.isEmpty()) {
                byTopic.remove(topic);
            }
        }
        if (!removed.isEmpty()) {
            announce(new Diff(topic, Map.of(), Map.of(key, removed.stream().map(Tracked::meta).toList())));
        }
    }

    /** Every key present on {@code topic}, with one meta per channel that tracks it, oldest first. */
    public synchronized Map<String, List<JsonNode>> list(String topic) {
        Map<String, List<JsonNode>> present = new LinkedHashMap<>();
        for (Tracked tracked : byTopic.getOrDefault(topic, List.of())) {
            present.computeIfAbsent(tracked.key(), k -> new ArrayList<>()).add(tracked.meta());
        }
        return present;
    }

    /** Calls {@code listener} with every later diff on {@code topic}; close the result to stop. */
    public AutoCloseable subscribe(String topic, Consumer<Diff> listener) {
        synchronized (this) {
            listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        }
        return () -> {
            synchronized (this) {
                List<Consumer<Diff>> current = listeners.get(topic);
                if (current != null) {
                    current.remove(listener);
                    if (current.isEmpty()) {
                        listeners.remove(topic);
                    }
                }
            }
        };
    }

    /** Called when a channel ends: everything it tracked leaves. */
    void untrackAll(Channel<?> channel) {
        Map<String, Map<String, List<JsonNode>>> leavesByTopic = new HashMap<>();
        synchronized (this) {
            for (String topic : topicsByChannel.getOrDefault(channel, Set.of())) {
                List<Tracked> entries = byTopic.get(topic);
                if (entries == null) {
                    continue; // untracked since
                }
                for (Tracked tracked : entries) {
                    if (tracked.channel() == channel) {
                        leavesByTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>())
                                .computeIfAbsent(tracked.key(), k -> new ArrayList<>()).add(tracked.meta());
                    }
                }
                entries.removeIf(t -> t.channel() == channel);
                if (entries.isEmpty()) {
                    byTopic.remove(topic);
                }
            }
            topicsByChannel.remove(channel);
        }
        leavesByTopic.forEach((topic, leaves) -> announce(new Diff(topic, Map.of(), leaves)));
    }

    private void announce(Diff diff) {
        List<Consumer<Diff>> interested;
        synchronized (this) {
            interested = List.copyOf(listeners.getOrDefault(diff.topic(), List.of()));
        }
        for (Consumer<Diff> listener : interested) {
            try {
                listener.accept(diff);
            } catch (RuntimeException bug) {
                LOG.error("a presence listener on '{}' failed", diff.topic(), bug);
            }
        }
    }
}
