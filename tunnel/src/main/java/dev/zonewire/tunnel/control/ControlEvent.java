package dev.zonewire.tunnel.control;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of the in-tunnel control protocol between client and gateway (tunnel.md §4.10). Delivery is
 * unreliable, so every event is idempotent and re-sent by its sender.
 */
public sealed interface ControlEvent {

    /** Type 0, client to gateway: the proxy IPs the client handed out for {@code domain} (exactly 8 when sent). */
    record AssignedIps(UUID resource, String domain, List<InetAddress> proxyIps) implements ControlEvent {
        public AssignedIps {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(domain, "domain");
            proxyIps = List.copyOf(proxyIps);
        }
    }

    /** Type 1, gateway to client: whether the DNS NAT for {@code domain} is in place. */
    record DomainStatus(UUID resource, String domain, NatStatus status) implements ControlEvent {
        public DomainStatus {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(status, "status");
        }
    }

    enum NatStatus {
        ACTIVE,
        /** Also what any status this version does not know reads as. */
        INACTIVE
    }
}
