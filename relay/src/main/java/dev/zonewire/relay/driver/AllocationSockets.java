package dev.zonewire.relay.driver;

import dev.zonewire.stun.AddressFamily;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** Which socket serves which allocation (port and family), and which port a socket serves. */
final class AllocationSockets {
    private final UdpSockets sockets;
    private final InetAddress bindIp4;
    private final InetAddress bindIp6;
    private final int[] ipv4 = new int[65536];
    private final int[] ipv6 = new int[65536];
    private int[] portOfSocket = new int[1024];

    AllocationSockets(UdpSockets sockets, InetAddress bindIp4, InetAddress bindIp6) {
        this.sockets = sockets;
        this.bindIp4 = bindIp4;
        this.bindIp6 = bindIp6;
        Arrays.fill(ipv4, -1);
        Arrays.fill(ipv6, -1);
    }

    void open(int port, AddressFamily family) throws IOException {
        int[] table = table(family);
        if (table[port] >= 0) {
            return;
        }
        int socket = sockets.open(new InetSocketAddress(family == AddressFamily.IPV4 ? bindIp4 : bindIp6, port));
        table[port] = socket;
        if (socket >= portOfSocket.length) {
            portOfSocket = Arrays.copyOf(portOfSocket, Math.max(socket + 1, portOfSocket.length * 2));
        }
        portOfSocket[socket] = port;
    }

    void close(int port, AddressFamily family) {
        int[] table = table(family);
        int socket = table[port];
        if (socket < 0) {
            return;
        }
        table[port] = -1;
        portOfSocket[socket] = 0;
        sockets.close(socket);
    }

    /** The socket to send from towards an address of {@code addressLength} bytes (4 or 16), or -1. */
    int socketFor(int port, int addressLength) {
        return addressLength == 4 ? ipv4[port] : ipv6[port];
    }

    /** The allocation port a socket serves, or 0 if it is no allocation socket. */
    int portOf(int socket) {
        return socket < portOfSocket.length ? portOfSocket[socket] : 0;
    }

    private int[] table(AddressFamily family) {
        return family == AddressFamily.IPV4 ? ipv4 : ipv6;
    }
}
