package dev.zonewire.tunnel.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A DNS query an application sent to a sentinel: {@code source} is the application's address and port,
 * {@code destination} the sentinel and port 53. For TCP the pair names the connection and
 * {@code message} is one message without its length prefix.
 */
public record DnsQuery(DnsTransport transport, InetSocketAddress source, InetSocketAddress destination, byte[] message) {

    public DnsQuery {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
    }
}
