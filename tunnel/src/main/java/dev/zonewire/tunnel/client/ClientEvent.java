package dev.zonewire.tunnel.client;

import java.util.List;
import java.util.Objects;

/** What the client's driver must pass on to the platform and the UI. */
public sealed interface ClientEvent {

    /**
     * Configure the TUN device: its addresses, the DNS servers to give the operating system (the sentinel
     * addresses) and the full route lists (apply the difference to what is installed). Only the newest one
     * waits in the queue.
     */
    record TunInterfaceUpdated(TunConfig config) implements ClientEvent {
        public TunInterfaceUpdated {
            Objects.requireNonNull(config, "config");
        }
    }

    /** The resources and their status changed; only the newest list waits in the queue. */
    record ResourcesChanged(List<ResourceView> resources) implements ClientEvent {
        public ResourcesChanged {
            resources = List.copyOf(resources);
        }
    }
}
