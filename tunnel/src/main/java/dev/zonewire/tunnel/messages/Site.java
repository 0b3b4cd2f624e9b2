package dev.zonewire.tunnel.messages;

import java.util.Objects;
import java.util.UUID;

/** A site (the portal's "gateway group"): JSON {@code {"id","name"}}. */
public record Site(UUID id, String name) {

    public Site {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
