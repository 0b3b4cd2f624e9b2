package dev.zonewire.phoenix.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves the portal's host name; the system resolver unless a test or a component brings its own. */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
