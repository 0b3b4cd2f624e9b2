package dev.zonewire.tunnel.net;

import java.net.InetAddress;

/** The fixed address ranges of the tunnel (spec tunnel.md §1). */
public final class AddressPlan {
    /** Tunnel addresses of clients and gateways; the portal assigns them. */
    public static final IpNetwork PEERS_V4 = IpNetwork.parse("100.64.0.0/11");
    public static final IpNetwork PEERS_V6 = IpNetwork.parse("fd00:2021:1111::/107");
    /** The proxy addresses the client's stub resolver hands out for DNS-resource names. */
    public static final IpNetwork PROXY_V4 = IpNetwork.parse("100.96.0.0/11");
    public static final IpNetwork PROXY_V6 = IpNetwork.parse("fd00:2021:1111:8000::/107");
    /** The virtual DNS server addresses the client gives to the operating system. Inside PROXY_V4, outside PROXY_V6. */
    public static final IpNetwork SENTINELS_V4 = IpNetwork.parse("100.100.111.0/24");
    public static final IpNetwork SENTINELS_V6 = IpNetwork.parse("fd00:2021:1111:8000:100:100:111:0/120");
    public static final IpNetwork DEFAULT_ROUTE_V4 = IpNetwork.parse("0.0.0.0/0");
    public static final IpNetwork DEFAULT_ROUTE_V6 = IpNetwork.parse("::/0");
    /** Both TUN devices run with this MTU; no IP packet on the tunnel is longer. */
    public static final int MTU = 1280;
    public static final int DNS_PORT = 53;

    private AddressPlan() {}

    public static boolean isProxyAddress(InetAddress address) {
        return PROXY_V4.contains(address) || PROXY_V6.contains(address);
    }
}
