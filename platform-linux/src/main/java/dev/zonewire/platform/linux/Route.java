package dev.zonewire.platform.linux;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A unicast route: packets to {@code destination} leave through interface
 * {@code interfaceIndex}, optionally via {@code gateway}, looked up in routing table
 * {@code table}.
 *
 * @param destination the network; its host bits must be zero
 * @param interfaceIndex the outgoing interface
 * @param gateway the next hop, or null for a route straight onto the interface (as to a TUN device)
 * @param table the routing table, 1..2^32-1; {@link #MAIN_TABLE} is the one {@code ip route} shows
 * @param metric the route priority; lower wins, 0 is the kernel default
 */
public record Route(IpPrefix destination, int interfaceIndex, InetAddress gateway, int table, int metric) {
    public static final int MAIN_TABLE = 254;

    public Route {
        Objects.requireNonNull(destination, "destination");
        if (table == 0) {
            throw new IllegalArgumentException("routing table 0 is not a table");
        }
        if (gateway != null && gateway.getAddress().length != destination.address().getAddress().length) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " is not of the family of "
                    + destination);
        }
    }

    /** A route to {@code destination} onto interface {@code interfaceIndex} in the main table. */
    public static Route toInterface(IpPrefix destination, int interfaceIndex) {
        return new Route(destination, interfaceIndex, null, MAIN_TABLE, 0);
    }

    public Route inTable(int table) {
        return new Route(destination, interfaceIndex, gateway, table, metric);
    }

    public Route withMetric(int metric) {
        return new Route(destination, interfaceIndex, gateway, table, metric);
    }

    @Override
    public String toString() {
        return destination + (gateway == null ? "" : " via " + gateway.getHostAddress()) + " dev #" + interfaceIndex
                + " table " + Integer.toUnsignedString(table) + (metric == 0 ? "" : " metric " + metric);
    }
}
