package dev.zonewire.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Which peers a client may bind a channel to; RFC 8656 (sections 9.1 and 11.2) lets a relay
 * refuse a peer with 403. Refused: addresses no real peer has, or that would turn the relay
 * against its own host: unspecified, multicast, limited broadcast, link-local, IPv6 addresses
 * embedding an IPv4 one, port 0, loopback, and the relay's own public addresses outside the
 * allocation port range (its listen port among them, where relayed data would pose as a client).
 * Another allocation on this relay stays a valid peer: Firezone's client and gateway often
 * allocate on the same relay. Loopback is allowed only on a relay whose own public address is
 * loopback, one for local testing.
 */
final class PeerAddressPolicy {
    private static final byte[] LIMITED_BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private final RelayServerConfig config;
    private final boolean loopbackRelay;

    PeerAddressPolicy(RelayServerConfig config) {
        this.config = config;
        this.loopbackRelay = (config.publicIp4() != null && config.publicIp4().isLoopbackAddress())
                || (config.publicIp6() != null && config.publicIp6().isLoopbackAddress());
    }

    boolean allows(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        if (ip.isLoopbackAddress()) {
            return loopbackRelay && peer.getPort() != 0;
        }
        if (peer.getPort() == 0 || ip.isAnyLocalAddress() || ip.isMulticastAddress() || ip.isLinkLocalAddress()
                || isLimitedBroadcast(ip) || embedsIpv4(ip)) {
            return false;
        }
        boolean ownAddress = ip.equals(config.publicIp4()) || ip.equals(config.publicIp6());
        return !ownAddress || (peer.getPort() >= config.lowestPort() && peer.getPort() <= config.highestPort());
    }

    private static boolean isLimitedBroadcast(InetAddress ip) {
        return ip instanceof Inet4Address && Arrays.equals(ip.getAddress(), LIMITED_BROADCAST);
    }

    /** ::ffff:0:0/96 and ::/96 (decoded from an attribute, these stay IPv6); ::1 is loopback, checked before. */
    private static boolean embedsIpv4(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return false;
        }
        byte[] bytes = ip.getAddress();
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] == 0 && bytes[11] == 0) || (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF);
    }
}
