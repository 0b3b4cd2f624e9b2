package dev.zonewire.tunnel.gateway;

import java.util.UUID;

/** Where a packet from the resource network goes: to one client (after reverse NAT), or nowhere. */
public sealed interface InboundRoute {

    record ToClient(UUID clientId, Flow flow) implements InboundRoute {}

    record Drop(DropReason reason) implements InboundRoute {}
}
