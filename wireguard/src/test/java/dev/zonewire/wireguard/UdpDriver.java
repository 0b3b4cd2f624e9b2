package dev.zonewire.wireguard;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The smallest real driver of a {@link WireGuardTunnel}: one UDP socket, the system clock, and a
 * function that answers the IP packets coming out of the tunnel (there is no TUN device).
 */
final class UdpDriver implements AutoCloseable {
    final WireGuardTunnel tunnel;
    final DatagramSocket socket;
    final List<byte[]> received = new ArrayList<>();
    /** Given each IP packet from the tunnel, returns a packet to send back into it, or null. */
    Function<byte[], byte[]> responder = packet -> null;

    UdpDriver(InetAddress bindAddress) throws IOException {
        SecureRandom random = new SecureRandom();
        tunnel = new WireGuardTunnel(PrivateKey.generate(random), TunnelSettings.DEFAULTS, random, Instant.now(), System.nanoTime());
        socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
        socket.setSoTimeout(20);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends an IP packet to {@code peer} through the tunnel. */
    void send(WireGuardPeer peer, byte[] ipPacket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(WireGuardTunnel.HEADROOM + ipPacket.length + WireGuardTunnel.TAILROOM);
        buffer.position(WireGuardTunnel.HEADROOM).put(ipPacket).flip().position(WireGuardTunnel.HEADROOM);
        if (tunnel.encapsulate(peer, buffer, System.nanoTime())) {
            socket.send(new DatagramPacket(buffer.array(), buffer.position(), buffer.remaining(), peer.endpoint()));
        }
        flush();
    }

    /** Runs the event loop until {@code done} holds; false if {@code timeout} passed first. */
    boolean runUntil(BooleanSupplier done, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[WireGuardTunnel.MAX_DATAGRAM_LENGTH];
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, datagram.getLength());
                WireGuardPeer sender = tunnel.decapsulate(bytes, (InetSocketAddress) datagram.getSocketAddress(), System.nanoTime());
                if (sender != null) {
                    byte[] packet = new byte[bytes.remaining()];
                    bytes.get(packet);
                    received.add(packet);
                    byte[] answer = responder.apply(packet);
                    if (answer != null) {
                        send(sender, answer);
                    }
                }
            } catch (SocketTimeoutException quiet) {
                // time to look at the timers
            }
            long now = System.nanoTime();
            if (tunnel.pollTimeout() - now <= 0) {
                tunnel.handleTimeout(now);
            }
            flush();
        }
        return true;
    }

    private void flush() throws IOException {
        for (Transmit transmit = tunnel.pollTransmit(); transmit != null; transmit = tunnel.pollTransmit()) {
            socket.send(new DatagramPacket(transmit.datagram(), transmit.datagram().length, transmit.destination()));
        }
        while (tunnel.pollEvent() != null) {
            // the tests look at the peers' state instead
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
