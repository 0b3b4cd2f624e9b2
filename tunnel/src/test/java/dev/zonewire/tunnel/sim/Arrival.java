package dev.zonewire.tunnel.sim;

import dev.zonewire.ippacket.IpAddress;
import java.util.UUID;

/** A packet that reached a site's network through a gateway: what the invariants check against the policy. */
record Arrival(UUID gateway, UUID site, IpAddress source, IpAddress destination, Probe.Protocol protocol, int sourcePort,
               int destinationPort, long id) {}
