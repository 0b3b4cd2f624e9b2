package dev.zonewire.tunnel.dns;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The active DNS resources, indexed by pattern in {@link DomainPattern} order, so the first pattern that
 * matches a name is the most specific. Two resources with the same pattern text: the later one wins.
 */
public final class DnsResourcePatterns {
    private final TreeMap<DomainPattern, UUID> byPattern = new TreeMap<>();

    /**
     * Registers {@code resourceId} under {@code pattern}. Returns false, changing nothing, when the pattern
     * does not parse.
     */
    public boolean add(UUID resourceId, String pattern) {
        DomainPattern parsed;
        try {
            parsed = DomainPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byPattern.put(parsed, resourceId);
        return true;
    }

    public void remove(UUID resourceId) {
        byPattern.values().removeIf(resourceId::equals);
    }

    /** The resource of the most specific pattern matching {@code nameLabels}, or null. Linear: DNS queries only, never per packet. */
    public UUID match(List<String> nameLabels) {
        for (Map.Entry<DomainPattern, UUID> entry : byPattern.entrySet()) {
            if (entry.getKey().matches(nameLabels)) {
                return entry.getValue();
            }
        }
        return null;
    }

    public boolean contains(UUID resourceId) {
        return byPattern.containsValue(resourceId);
    }

    public int size() {
        return byPattern.size();
    }
}
