package dev.zonewire.tunnel.dns;

/**
 * Where a forwarded query goes: through the host's own network (a marked socket that bypasses the
 * tunnel routes), or through the tunnel, when the portal's upstream server sits behind a resource.
 */
public enum UpstreamRoute {
    HOST,
    TUNNEL
}
