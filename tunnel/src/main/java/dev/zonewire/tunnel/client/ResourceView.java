package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.messages.ClientResource;
import java.util.Arrays;
import java.util.Comparator;

/** A resource as the UI shows it: online if any of its sites is, offline if all are, unknown otherwise. */
public record ResourceView(ClientResource resource, ResourceStatus status) {

    /** The reference's order: the Internet resource first, then by name, then by id, comparing text by code point. */
    public static final Comparator<ResourceView> ORDER = Comparator
            .comparing((ResourceView view) -> !(view.resource() instanceof ClientResource.Internet))
            .thenComparing(view -> name(view.resource()), ResourceView::compareCodePoints)
            .thenComparing(view -> ClientResources.id(view.resource()).toString());

    private static String name(ClientResource resource) {
        return switch (resource) {
            case ClientResource.Dns dns -> dns.name();
            case ClientResource.Cidr cidr -> cidr.name();
            case ClientResource.Internet internet -> internet.name();
            case ClientResource.Unknown unknown -> "";
        };
    }

    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
