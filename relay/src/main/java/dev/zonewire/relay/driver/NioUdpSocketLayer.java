package dev.zonewire.relay.driver;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link UdpSocketLayer} on NIO: non-blocking {@link DatagramChannel}s in one {@link Selector}
 * (epoll on Linux), so thousands of allocation sockets need no thread each. Each ready socket is
 * read until it is empty, up to a budget per wake-up so one busy socket cannot starve the rest.
 */
public final class NioUdpSocketLayer implements UdpSocketLayer {
    private static final int READS_PER_SOCKET = 64;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final Selector selector;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Integer> freeNumbers = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADROOM + 65536);
    private Receiver receiver;
    private IOException readFailure;

    public NioUdpSocketLayer() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public int open(InetSocketAddress local) throws IOException {
        StandardProtocolFamily family = local.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        DatagramChannel channel = DatagramChannel.open(family);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(local);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        int number;
        if (freeNumbers.isEmpty()) {
            number = channels.size();
            channels.add(channel);
        } else {
            number = freeNumbers.removeLast();
            channels.set(number, channel);
        }
        channel.register(selector, SelectionKey.OP_READ, number);
        return number;
    }

    @Override
    public InetSocketAddress localAddress(int socket) {
        try {
            return (InetSocketAddress) channels.get(socket).getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket " + socket + " is closed", e);
        }
    }

    @Override
    public void close(int socket) {
        DatagramChannel channel = channels.get(socket);
        if (channel == null) {
            return;
        }
        channels.set(socket, null);
        freeNumbers.add(socket);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a UDP socket has nothing to flush; the descriptor is released either way.
        }
    }

    @Override
    public void poll(long timeoutNanos, Receiver receiver) throws IOException {
        this.receiver = receiver;
        long millis = timeoutNanos <= 0 ? 0 : Math.max(1, timeoutNanos / 1_000_000);
        if (millis == 0) {
            selector.selectNow(this::drain);
        } else {
            selector.select(this::drain, millis);
        }
        if (readFailure != null) {
            IOException failure = readFailure;
            readFailure = null;
            throw failure;
        }
    }

    private void drain(SelectionKey key) {
        DatagramChannel channel = (DatagramChannel) key.channel();
        int number = (Integer) key.attachment();
        try {
            for (int i = 0; i < READS_PER_SOCKET; i++) {
                buffer.clear().position(HEADROOM);
                InetSocketAddress source = (InetSocketAddress) channel.receive(buffer);
                if (source == null) {
                    return;
                }
                buffer.flip().position(HEADROOM);
                receiver.onDatagram(number, buffer, source);
                if (!channel.isOpen()) {
                    return;
                }
            }
        } catch (IOException e) {
            readFailure = e;
        }
    }

    @Override
    public boolean send(int socket, ByteBuffer datagram, InetSocketAddress destination) {
        DatagramChannel channel = socket >= 0 && socket < channels.size() ? channels.get(socket) : null;
        if (channel == null) {
            return false;
        }
        try {
            return channel.send(datagram, destination) > 0 || !datagram.hasRemaining();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < channels.size(); i++) {
            close(i);
        }
        selector.close();
    }
}
