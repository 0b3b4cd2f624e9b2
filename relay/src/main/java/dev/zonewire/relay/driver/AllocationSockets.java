package dev.zonewire.relay.driver;

import dev.zonewire.stun.AddressFamily;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Which socket serves which (port, family). With a dual-stack wildcard bind, one IPv6 socket
 * bound to [::] serves both families of a port (the kernel maps IPv4 to it); otherwise each
 * family has its own socket on its own bind address.
 */
final class AllocationSockets {
    private final UdpSocketLayer sockets;
    private final InetAddress bindIp4;
    private final InetAddress bindIp6;
    private final boolean sharedDualStack;
    private final int[] ipv4 = new int[65536];
    private final int[] ipv6 = new int[65536];
    private int[] portOfSocket = new int[1024];

    AllocationSockets(UdpSocketLayer sockets, InetAddress bindIp4, InetAddress bindIp6) {
        this.sockets = sockets;
        this.bindIp4 = bindIp4;
        this.bindIp6 = bindIp6;
        this.sharedDualStack = bindIp4 != null && bindIp6 != null && bindIp4.isAnyLocalAddress() && bindIp6.isAnyLocalAddress();
        Arrays.fill(ipv4, -1);
        Arrays.fill(ipv6, -1);
    }

    /** Opens (or, dual-stack, shares) the socket for this port and family. */
    int open(int port, AddressFamily family) throws IOException {
        int[] table = family == AddressFamily.IPV4 ? ipv4 : ipv6;
        int[] other = family == AddressFamily.IPV4 ? ipv6 : ipv4;
        if (table[port] >= 0) {
            return table[port];
        }
        int socket;
        if (sharedDualStack && other[port] >= 0) {
            socket = other[port];
        } else {
            InetAddress bind = sharedDualStack || family == AddressFamily.IPV6 ? bindIp6 : bindIp4;
            socket = sockets.open(new InetSocketAddress(bind, port));
        }
        table[port] = socket;
        remember(socket, port);
        return socket;
    }

    void close(int port, AddressFamily family) {
        int[] table = family == AddressFamily.IPV4 ? ipv4 : ipv6;
        int[] other = family == AddressFamily.IPV4 ? ipv6 : ipv4;
        int socket = table[port];
        if (socket < 0) {
            return;
        }
        table[port] = -1;
        if (other[port] != socket) {
            sockets.close(socket);
            portOfSocket[socket] = 0;
        }
    }

    /** The socket to send from towards a destination of this family, or -1. */
    int socketFor(int port, InetAddress destination) {
        return destination instanceof java.net.Inet4Address ? ipv4[port] : ipv6[port];
    }

    /** The allocation port a socket serves, or 0 if it is no allocation socket. */
    int portOf(int socket) {
        return socket < portOfSocket.length ? portOfSocket[socket] : 0;
    }

    private void remember(int socket, int port) {
        if (socket >= portOfSocket.length) {
            portOfSocket = Arrays.copyOf(portOfSocket, Math.max(socket + 1, portOfSocket.length * 2));
        }
        portOfSocket[socket] = port;
    }
}
