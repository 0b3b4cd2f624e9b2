package dev.zonewire.tunnel.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A query to forward to an upstream server. {@code id} is the DNS id it carries on the wire (chosen here,
 * unique per server and transport, so answers to different applications never collide); report the
 * answer with {@link ClientDns#handleUpstreamResponse} or a failure with {@link ClientDns#handleUpstreamFailure}.
 */
public record UpstreamQuery(DnsTransport transport, UpstreamRoute route, InetSocketAddress server, int id, byte[] message) {

    public UpstreamQuery {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(message, "message");
    }
}
