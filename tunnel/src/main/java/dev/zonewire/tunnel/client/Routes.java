package dev.zonewire.tunnel.client;

import dev.zonewire.tunnel.net.IpNetwork;
import java.util.List;

/** The routes the client installs in its TUN device, per family, in address order. */
public record Routes(List<IpNetwork> ipv4, List<IpNetwork> ipv6) {

    public Routes {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }
}
