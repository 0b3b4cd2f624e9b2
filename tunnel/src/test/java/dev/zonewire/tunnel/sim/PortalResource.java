package dev.zonewire.tunnel.sim;

import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.messages.GatewayResource;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;

/**
 * A resource as the stub portal holds it: its kind and address, the one site that serves it, its current
 * filters, and for the simulation the hosts behind it (addresses of a CIDR network, names of a DNS
 * pattern with their real addresses, hosts on the internet).
 */
record PortalResource(UUID id, Kind kind, String address, Site site, List<Filter> filters, List<InetAddress> hosts, List<String> names) {

    enum Kind {
        CIDR,
        DNS,
        INTERNET
    }

    PortalResource withFilters(List<Filter> newFilters) {
        return new PortalResource(id, kind, address, site, newFilters, hosts, names);
    }

    ClientResource forClient() {
        return switch (kind) {
            case CIDR -> new ClientResource.Cidr(id, IpNetwork.parse(address), "cidr " + address, null, List.of(site), filters);
            case DNS -> new ClientResource.Dns(id, address, "dns " + address, null, List.of(site), filters);
            case INTERNET -> new ClientResource.Internet(id, ClientResource.Internet.DEFAULT_NAME, List.of(site), true);
        };
    }

    GatewayResource forGateway() {
        return switch (kind) {
            case CIDR -> new GatewayResource.Cidr(id, IpNetwork.parse(address), "cidr " + address, filters);
            case DNS -> new GatewayResource.Dns(id, address, "dns " + address, filters);
            case INTERNET -> new GatewayResource.Internet(id);
        };
    }

    @Override
    public String toString() {
        return kind + " " + address + " (site " + site.name() + ", filters " + filters + ")";
    }
}
