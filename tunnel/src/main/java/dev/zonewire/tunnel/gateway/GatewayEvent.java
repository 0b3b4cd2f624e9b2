package dev.zonewire.tunnel.gateway;

import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

/** What the gateway's driver must do besides moving packets. */
public sealed interface GatewayEvent {

    /**
     * Give the TUN device these addresses (as /32 and /128) and route {@code routes} (the client ranges
     * {@code 100.64.0.0/11} and {@code fd00:2021:1111::/107}) into it.
     */
    record TunInterfaceUpdated(Inet4Address ipv4, Inet6Address ipv6, List<IpNetwork> routes) implements GatewayEvent {
        public TunInterfaceUpdated {
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
            routes = List.copyOf(routes);
        }
    }
}
