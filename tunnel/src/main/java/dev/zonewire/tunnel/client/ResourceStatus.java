package dev.zonewire.tunnel.client;

/** Reachability of a site, and of a resource through its sites (tunnel.md §3.3.4). */
public enum ResourceStatus {
    UNKNOWN,
    ONLINE,
    OFFLINE
}
