package dev.zonewire.relay.driver;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The relay driver's view of UDP: numbered sockets, one readiness wait that hands over every
 * datagram received, and send. One thread uses it. It is an interface so that a batched
 * implementation (recvmmsg/sendmmsg through FFM) can replace the NIO one.
 */
public interface UdpSocketLayer extends Closeable {

    /** Bytes kept free in front of every received datagram, so a ChannelData header can be written in place. */
    int HEADROOM = 4;

    /** Binds a socket and returns its number. Throws if the address is taken. */
    int open(InetSocketAddress local) throws IOException;

    /** The local address a socket is bound to (with the actual port when 0 was asked for). */
    InetSocketAddress localAddress(int socket);

    void close(int socket);

    /**
     * Waits up to {@code timeoutNanos} (0: do not wait) for datagrams and hands each to the
     * receiver. The buffer's position is {@link #HEADROOM}, the datagram runs to its limit, and
     * the bytes before the position may be overwritten. Valid only during the call.
     */
    void poll(long timeoutNanos, Receiver receiver) throws IOException;

    /** Sends the buffer's remaining bytes; false if the datagram could not be sent. */
    boolean send(int socket, ByteBuffer datagram, InetSocketAddress destination);

    /** Makes a blocked {@link #poll} return; callable from any thread. */
    void wakeup();

    @FunctionalInterface
    interface Receiver {
        void onDatagram(int socket, ByteBuffer datagram, InetSocketAddress source);
    }
}
