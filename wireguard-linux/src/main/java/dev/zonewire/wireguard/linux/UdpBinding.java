package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.Errno;
import dev.zonewire.platform.linux.ErrnoException;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interface's UDP sockets: one IPv4 and one IPv6-only socket on the same port, as wireguard-go
 * binds. Either may be missing on a host without that family. A peer's endpoint picks the socket.
 */
final class UdpBinding implements AutoCloseable {
    /** What wireguard-go asks for; the kernel doubles it. */
    static final int BUFFER_SIZE = 7 << 20;
    static final UdpBinding NONE = new UdpBinding(null, null, 0);

    private static final Logger log = LoggerFactory.getLogger(UdpBinding.class);
    private static final int RANDOM_PORT_ATTEMPTS = 100;
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(1);

    final UdpSocket ipv4;
    final UdpSocket ipv6;
    final int port;

    private UdpBinding(UdpSocket ipv4, UdpSocket ipv6, int port) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.port = port;
    }

    /**
     * Binds both families to {@code port}, or, for 0, to a port the kernel picks for IPv4 that is
     * free for IPv6 too (tried up to 100 times, as wireguard-go does).
     *
     * @param namespace the named network namespace to open the sockets in, or null
     */
    static UdpBinding open(int port, int firewallMark, boolean offload, String namespace) throws IOException {
        for (int attempt = 1; ; attempt++) {
            UdpSocket ipv4 = openOrNull(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), port), firewallMark,
                    offload, namespace);
            int bound = ipv4 == null ? port : ipv4.localAddress().getPort();
            try {
                UdpSocket ipv6 = openOrNull(new InetSocketAddress(InetAddress.ofLiteral("::"), bound), firewallMark,
                        offload, namespace);
                if (ipv4 == null && ipv6 == null) {
                    throw new IOException("neither IPv4 nor IPv6 UDP sockets are available");
                }
                return new UdpBinding(ipv4, ipv6, ipv6 == null ? bound : ipv6.localAddress().getPort());
            } catch (IOException e) {
                if (ipv4 != null) {
                    ipv4.close();
                }
                if (port != 0 || attempt == RANDOM_PORT_ATTEMPTS || !isAddressInUse(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        if (ipv4 != null) {
            ipv4.close();
        }
        if (ipv6 != null) {
            ipv6.close();
        }
    }

    /** Closes both sockets and waits (up to a second each) until their port is free to bind again. */
    void closeAndAwaitRelease() throws InterruptedException {
        close();
        for (UdpSocket socket : new UdpSocket[] {ipv4, ipv6}) {
            if (socket != null && !socket.awaitClosed(RELEASE_TIMEOUT)) {
                log.warn("{} is still in use a second after it was closed", socket);
            }
        }
    }

    private static UdpSocket openOrNull(InetSocketAddress address, int firewallMark, boolean offload, String namespace)
            throws IOException {
        UdpSocketOptions options = UdpSocketOptions.bind(address).withBufferSizes(BUFFER_SIZE, BUFFER_SIZE)
                .withReceiveOffload(offload).withFirewallMark(firewallMark);
        try {
            return namespace == null ? UdpSocket.open(options) : NetworkNamespace.call(namespace, () -> UdpSocket.open(options));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAFNOSUPPORT) {
                log.info("No {} UDP socket: the host does not support that family", address.getAddress() instanceof Inet4Address
                        ? "IPv4" : "IPv6");
                return null;
            }
            throw e;
        }
    }

    private static boolean isAddressInUse(IOException e) {
        return e instanceof ErrnoException errno && errno.errno() == Errno.EADDRINUSE;
    }
}
