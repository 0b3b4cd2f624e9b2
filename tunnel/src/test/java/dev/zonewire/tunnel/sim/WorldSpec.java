package dev.zonewire.tunnel.sim;

import dev.zonewire.snownet.sim.Nat;

/**
 * The shape of a simulated world. The resources, their filters and the DNS records are drawn from
 * {@code seed}; everything else is given, so jqwik can shrink it.
 *
 * @param clientNat    null for a client on the internet itself
 * @param gatewayNat   null for gateways on the internet itself
 * @param internet     whether an Internet resource (in a site of its own) exists
 * @param portalDns    whether the portal names an upstream DNS server that sits behind a CIDR resource
 */
record WorldSpec(long seed, int sites, int gatewaysPerSite, int relays, Nat.Kind clientNat, Nat.Kind gatewayNat, int cidrResources,
                 int dnsResources, boolean internet, boolean portalDns, int flowLifetimeSeconds) {

    /** A small world for scripted tests. */
    static WorldSpec simple(long seed) {
        return new WorldSpec(seed, 1, 1, 1, null, null, 2, 2, true, true, 300);
    }
}
