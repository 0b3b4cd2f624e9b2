package dev.zonewire.relay.driver;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpPoller;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The relay driver's UDP: numbered sockets in one epoll set ({@link UdpPoller}), datagrams
 * received {@value #BATCH} per system call ({@code recvmmsg}, with GRO) and sends queued and
 * flushed {@code sendmmsg} by {@code sendmmsg} ({@link SendQueue}, with GSO). One thread uses it;
 * only {@link #wakeup()} may come from others. The packet path allocates nothing: buffers are
 * reused and source addresses come from an {@link AddressCache}.
 */
public final class UdpSockets implements AutoCloseable {
    static final int BATCH = 64;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    /** Batches read from one socket before the others get their turn. */
    private static final int BATCHES_PER_SOCKET = 16;
    private static final int READY_PER_WAIT = 1024;

    private final UdpPoller poller;
    private final DatagramBatch in = DatagramBatch.allocate(BATCH, 65535);
    private final SendQueue sends;
    private final AddressCache sources = new AddressCache(1 << 14);
    private final byte[] sourceAddress = new byte[16];
    private UdpSocket[] sockets = new UdpSocket[64];
    private int[] freeNumbers = new int[64];
    private int freeCount;
    private int highestNumber = -1;

    public UdpSockets() throws IOException {
        this.poller = UdpPoller.open(READY_PER_WAIT);
        this.sends = new SendQueue(this::socket, 1024, 1 << 20);
    }

    /** Binds a socket, adds it to the poll set and returns its number. Throws if the address is taken. */
    public int open(InetSocketAddress local) throws IOException {
        UdpSocket socket = UdpSocket.open(UdpSocketOptions.bind(local)
                .withBufferSizes(SOCKET_BUFFER_BYTES, SOCKET_BUFFER_BYTES)
                .withReceiveOffload(true)
                .withPolled(true));
        int number = freeCount > 0 ? freeNumbers[--freeCount] : ++highestNumber;
        if (number >= sockets.length) {
            sockets = Arrays.copyOf(sockets, sockets.length * 2);
        }
        try {
            poller.register(socket, number);
        } catch (IOException | RuntimeException e) {
            socket.close();
            release(number);
            throw e;
        }
        sockets[number] = socket;
        return number;
    }

    /** The local address a socket is bound to (with the actual port when 0 was asked for). */
    public InetSocketAddress localAddress(int socket) {
        return sockets[socket].localAddress();
    }

    public void close(int number) {
        UdpSocket socket = socket(number);
        if (socket == null) {
            return;
        }
        sends.flush();
        sockets[number] = null;
        try {
            poller.unregister(socket);
        } catch (IOException e) {
            // Closing the socket removes it from the epoll set anyway.
        }
        socket.close();
        release(number);
    }

    /**
     * Waits up to {@code timeoutNanos} (0: do not wait) for datagrams, hands each to the receiver
     * and then sends what the receiver queued. The buffer's position and limit frame one
     * datagram; it is valid only during the call. With GRO a slot holding several datagrams of
     * one sender is handed over datagram by datagram.
     */
    public void poll(long timeoutNanos, Receiver receiver) throws IOException {
        int millis = timeoutNanos <= 0 ? 0 : (int) Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
        int ready = poller.await(millis);
        for (int i = 0; i < ready; i++) {
            drain(poller.token(i), receiver);
        }
        sends.flush();
    }

    /** Queues the payload's remaining bytes for {@code address}/{@code port} from {@code socket}. */
    public void send(int socket, byte[] address, int port, ByteBuffer payload) {
        sends.add(socket, address, port, false, 0, payload);
    }

    /** Like {@link #send}, with a 4-byte header (network order) before the payload, such as ChannelData's. */
    public void send(int socket, byte[] address, int port, int header, ByteBuffer payload) {
        sends.add(socket, address, port, true, header, payload);
    }

    /** Sends everything queued now. */
    public void flush() {
        sends.flush();
    }

    /** How many queued datagrams the kernel refused (or had no socket) since the last call. */
    public long takeSendFailures() {
        return sends.takeFailures();
    }

    /** Makes a waiting {@link #poll} return; callable from any thread. */
    public void wakeup() {
        poller.wakeup();
    }

    @Override
    public void close() {
        for (int number = 0; number <= highestNumber; number++) {
            UdpSocket socket = sockets[number];
            if (socket != null) {
                socket.close();
                sockets[number] = null;
            }
        }
        poller.close();
        sends.close();
        in.close();
    }

    @FunctionalInterface
    public interface Receiver {
        void onDatagram(int socket, ByteBuffer datagram, InetSocketAddress source);
    }

    private UdpSocket socket(int number) {
        return number >= 0 && number < sockets.length ? sockets[number] : null;
    }

    private void drain(int number, Receiver receiver) throws IOException {
        for (int batch = 0; batch < BATCHES_PER_SOCKET; batch++) {
            UdpSocket socket = socket(number);
            if (socket == null) {
                return; // closed while handling an earlier datagram of this round
            }
            int slots = socket.receive(in, 0);
            for (int slot = 0; slot < slots; slot++) {
                deliver(number, slot, receiver);
            }
            if (slots < BATCH) {
                return;
            }
        }
    }

    private void deliver(int number, int slot, Receiver receiver) {
        int addressLength = in.remoteAddress(slot, sourceAddress);
        InetSocketAddress source = sources.get(sourceAddress, addressLength, in.remotePort(slot));
        ByteBuffer buffer = in.buffer(slot);
        int length = in.length(slot);
        int segment = in.segmentSize(slot);
        int offset = 0;
        do {
            buffer.limit(Math.min(offset + segment, length)).position(offset);
            receiver.onDatagram(number, buffer, source);
            offset += segment;
        } while (offset < length);
    }

    private void release(int number) {
        if (freeCount == freeNumbers.length) {
            freeNumbers = Arrays.copyOf(freeNumbers, freeNumbers.length * 2);
        }
        freeNumbers[freeCount++] = number;
    }
}
