package dev.zonewire.tunnel.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A DNS response for an application: from the sentinel ({@code source}) to the application ({@code destination}). */
public record DnsReply(DnsTransport transport, InetSocketAddress source, InetSocketAddress destination, byte[] message) {

    public DnsReply {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
    }
}
