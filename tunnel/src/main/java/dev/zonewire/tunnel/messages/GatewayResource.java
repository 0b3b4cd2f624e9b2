package dev.zonewire.tunnel.messages;

import dev.zonewire.tunnel.net.IpNetwork;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A resource as the portal describes it to a gateway. Unlike the client's, there is no catch-all: an
 * unknown {@code type} makes the message malformed. {@code filters} is required for DNS and CIDR.
 */
public sealed interface GatewayResource {

    UUID id();

    /** The filters to enforce; an empty list permits everything. The Internet resource has none. */
    List<Filter> filters();

    record Dns(UUID id, String address, String name, List<Filter> filters) implements GatewayResource {
        public Dns {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
            filters = List.copyOf(filters);
        }
    }

    record Cidr(UUID id, IpNetwork address, String name, List<Filter> filters) implements GatewayResource {
        public Cidr {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
            filters = List.copyOf(filters);
        }
    }

    record Internet(UUID id) implements GatewayResource {
        public Internet {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public List<Filter> filters() {
            return List.of();
        }
    }
}
