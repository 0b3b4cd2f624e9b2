package dev.zonewire.tunnel.messages;

import dev.zonewire.tunnel.net.IpNetwork;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A resource as the portal describes it to a client ({@code init.resources}, {@code resource_created_or_updated}).
 * The client ignores {@code filters} (the gateway enforces them); they are kept so the portal can send them.
 * A {@code type} this version does not know becomes {@link Unknown} and is ignored, for forward compatibility.
 */
public sealed interface ClientResource {

    /** {@code address} is a DNS pattern: an exact name or one with {@code *}, {@code **} and {@code ?} wildcards. */
    record Dns(UUID id, String address, String name, String addressDescription, List<Site> sites, List<Filter> filters)
            implements ClientResource {
        public Dns {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
            sites = List.copyOf(sites);
            filters = List.copyOf(filters);
        }
    }

    record Cidr(UUID id, IpNetwork address, String name, String addressDescription, List<Site> sites, List<Filter> filters)
            implements ClientResource {
        public Cidr {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
            sites = List.copyOf(sites);
            filters = List.copyOf(filters);
        }
    }

    /** The catch-all resource; the portal sends no name, so it defaults to {@value #DEFAULT_NAME}. */
    record Internet(UUID id, String name, List<Site> sites, boolean canBeDisabled) implements ClientResource {
        public static final String DEFAULT_NAME = "Internet Resource";

        public Internet {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            sites = List.copyOf(sites);
        }
    }

    record Unknown(String type) implements ClientResource {
        public Unknown {
            Objects.requireNonNull(type, "type");
        }
    }
}
