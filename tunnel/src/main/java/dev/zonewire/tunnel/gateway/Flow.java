package dev.zonewire.tunnel.gateway;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The addressing of one packet: what filters, source checks and the NAT look at. For TCP and UDP the
 * ports; for ICMP echo the identifier in both port fields; 0 otherwise.
 */
public record Flow(TransportProtocol protocol, InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {

    public Flow {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }
}
