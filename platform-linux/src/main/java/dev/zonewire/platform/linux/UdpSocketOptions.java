package dev.zonewire.platform.linux;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How to open a {@link UdpSocket}.
 *
 * @param bindAddress where to bind: {@code 0.0.0.0:0} or {@code [::]:0} for any address and an
 *     ephemeral port, as the reference does; an IPv6 socket is always IPv6-only
 * @param receiveBufferSize {@code SO_RCVBUF} in bytes, 0 for the system default; as root the
 *     {@code FORCE} variant lifts the {@code net.core.rmem_max} cap
 * @param sendBufferSize {@code SO_SNDBUF} in bytes, 0 for the system default
 * @param receiveOffload turn on {@code UDP_GRO}: the kernel may hand over several datagrams of
 *     one sender in one slot (see {@link DatagramBatch#segmentSize(int)}); such slots must then
 *     have room for 65535 bytes
 * @param firewallMark {@code SO_MARK} for every datagram sent, 0 for none (needs CAP_NET_ADMIN);
 *     the reference marks its sockets so their traffic skips the tunnel's routing table
 * @param polled the socket is one of many that an event loop waits on through a {@link UdpPoller}
 *     (a relay has one per allocation): it then holds one file descriptor instead of two (no
 *     wake-up eventfd, so {@link UdpSocket#close()} does not wake a thread blocked in
 *     {@code receive}: read it with timeout 0 once the poller reported it), and its opening is
 *     logged at DEBUG rather than INFO
 */
public record UdpSocketOptions(InetSocketAddress bindAddress, int receiveBufferSize, int sendBufferSize,
        boolean receiveOffload, int firewallMark, boolean polled) {
    public UdpSocketOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bind address " + bindAddress + " is not resolved");
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes cannot be negative");
        }
    }

    /** Bound to {@code address}, system buffer sizes, no GRO, no mark, not polled. */
    public static UdpSocketOptions bind(InetSocketAddress address) {
        return new UdpSocketOptions(address, 0, 0, false, 0, false);
    }

    public UdpSocketOptions withBufferSizes(int receive, int send) {
        return new UdpSocketOptions(bindAddress, receive, send, receiveOffload, firewallMark, polled);
    }

    public UdpSocketOptions withReceiveOffload(boolean receiveOffload) {
        return new UdpSocketOptions(bindAddress, receiveBufferSize, sendBufferSize, receiveOffload, firewallMark,
                polled);
    }

    public UdpSocketOptions withFirewallMark(int firewallMark) {
        return new UdpSocketOptions(bindAddress, receiveBufferSize, sendBufferSize, receiveOffload, firewallMark,
                polled);
    }

    public UdpSocketOptions withPolled(boolean polled) {
        return new UdpSocketOptions(bindAddress, receiveBufferSize, sendBufferSize, receiveOffload, firewallMark,
                polled);
    }
}
