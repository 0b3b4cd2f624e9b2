package dev.zonewire.relay.driver;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpSocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Datagrams waiting to be sent, so that each socket gets one {@code sendmmsg} for all of them
 * instead of one system call each. A relay's datagrams go out from many sockets (client to peer:
 * the allocation's socket) in no particular order, so {@link #add} copies each into a staging
 * buffer and {@link #flush} sends them socket by socket, in the order they came for each socket.
 * Consecutive datagrams from one socket to one destination with the same size (a burst of one
 * tunnel's packets) travel as one GSO slot, which the kernel cuts into datagrams again.
 *
 * <p>One thread uses it; nothing allocates per datagram.
 */
final class SendQueue implements AutoCloseable {
    /** A slot's bytes may not exceed the largest UDP payload over IPv4. */
    private static final int MAX_SLOT_BYTES = 65507;
    private static final int SLOTS = 64;

    private final IntFunction<UdpSocket> sockets;
    private final DatagramBatch out = DatagramBatch.allocate(SLOTS, 65535);
    private final ByteBuffer staging;
    private final int capacity;
    private final int[] socketOf;
    private final int[] offsetOf;
    private final int[] lengthOf;
    private final int[] portOf;
    private final int[] nextOf;
    private final byte[] addressOf;
    private final byte[] addressLengthOf;
    private final int[] touchedSockets;
    // One reusable array per address length, so that setRemote gets an exact-length address without allocating.
    private final byte[] ipv4 = new byte[4];
    private final byte[] ipv6 = new byte[16];
    private int[] firstBySocket = new int[256];
    private int[] lastBySocket = new int[256];
    private int count;
    private int touched;
    private long failures;

    /**
     * @param sockets the socket of a socket number
     * @param capacity how many datagrams may wait before {@link #add} sends them itself
     * @param stagingBytes how many bytes may wait
     */
    SendQueue(IntFunction<UdpSocket> sockets, int capacity, int stagingBytes) {
        this.sockets = sockets;
        this.capacity = capacity;
        this.staging = ByteBuffer.allocateDirect(stagingBytes);
        this.socketOf = new int[capacity];
        this.offsetOf = new int[capacity];
        this.lengthOf = new int[capacity];
        this.portOf = new int[capacity];
        this.nextOf = new int[capacity];
        this.addressOf = new byte[capacity * 16];
        this.addressLengthOf = new byte[capacity];
        this.touchedSockets = new int[capacity];
        Arrays.fill(firstBySocket, -1);
    }

    /**
     * Queues a datagram: {@code header} in network order first if {@code withHeader}, then the
     * payload's remaining bytes (which are copied; the buffer is not kept or moved).
     */
    void add(int socket, byte[] address, int port, boolean withHeader, int header, ByteBuffer payload) {
        int length = (withHeader ? Integer.BYTES : 0) + payload.remaining();
        if (count == capacity || staging.position() + length > staging.capacity()) {
            flush();
        }
        int entry = count++;
        socketOf[entry] = socket;
        offsetOf[entry] = staging.position();
        lengthOf[entry] = length;
        portOf[entry] = port;
        nextOf[entry] = -1;
        System.arraycopy(address, 0, addressOf, entry * 16, address.length);
        addressLengthOf[entry] = (byte) address.length;
        if (withHeader) {
            staging.putInt(header);
        }
        staging.put(staging.position(), payload, payload.position(), payload.remaining());
        staging.position(staging.position() + payload.remaining());
        link(socket, entry);
    }

    /** Sends everything queued. Datagrams the kernel refused are counted, see {@link #takeFailures()}. */
    void flush() {
        for (int i = 0; i < touched; i++) {
            int socket = touchedSockets[i];
            send(socket, firstBySocket[socket]);
            firstBySocket[socket] = -1;
        }
        touched = 0;
        count = 0;
        staging.clear();
    }

    /** How many datagrams could not be sent since the last call. */
    long takeFailures() {
        long taken = failures;
        failures = 0;
        return taken;
    }

    @Override
    public void close() {
        out.close();
    }

    private void link(int socket, int entry) {
        if (socket >= firstBySocket.length) {
            int size = Math.max(socket + 1, firstBySocket.length * 2);
            int old = firstBySocket.length;
            firstBySocket = Arrays.copyOf(firstBySocket, size);
            lastBySocket = Arrays.copyOf(lastBySocket, size);
            Arrays.fill(firstBySocket, old, size, -1);
        }
        if (firstBySocket[socket] < 0) {
            firstBySocket[socket] = entry;
            touchedSockets[touched++] = socket;
        } else {
            nextOf[lastBySocket[socket]] = entry;
        }
        lastBySocket[socket] = entry;
    }

    /** Sends one socket's datagrams, from {@code entry} along the chain, in batches of slots. */
    private void send(int socket, int entry) {
        UdpSocket udp = sockets.apply(socket);
        boolean gso = udp != null && udp.sendOffload();
        int slot = -1;
        int slotFirst = -1;
        int segmentSize = 0;
        int segments = 0;
        boolean slotClosed = true;
        int queued = 0;
        for (int e = entry; e >= 0; e = nextOf[e]) {
            int length = lengthOf[e];
            boolean joins = gso && !slotClosed && length <= segmentSize && segments < UdpSocket.MAX_GSO_SEGMENTS
                    && out.length(slot) + length <= MAX_SLOT_BYTES && sameDestination(slotFirst, e);
            if (joins) {
                out.buffer(slot).put(out.length(slot), staging, offsetOf[e], length);
                out.setLength(slot, out.length(slot) + length);
                segments++;
                out.setSegmentSize(slot, segmentSize);
                // Only the last datagram of a GSO slot may be shorter than the others.
                slotClosed = length < segmentSize;
            } else {
                if (slot + 1 == SLOTS) {
                    sendBatch(udp, slot + 1, queued);
                    slot = -1;
                    queued = 0;
                }
                slot++;
                slotFirst = e;
                out.buffer(slot).put(0, staging, offsetOf[e], length);
                out.setLength(slot, length);
                out.setSegmentSize(slot, 0);
                out.setRemote(slot, addressBytes(e), portOf[e]);
                segmentSize = length;
                segments = 1;
                slotClosed = false;
            }
            queued++;
        }
        sendBatch(udp, slot + 1, queued);
    }

    private void sendBatch(UdpSocket udp, int slots, int datagrams) {
        if (slots == 0) {
            return;
        }
        if (udp == null) {
            failures += datagrams;
            return;
        }
        out.setSize(slots);
        try {
            failures += datagrams - udp.send(out);
        } catch (IOException | RuntimeException e) {
            failures += datagrams;
        }
    }

    private boolean sameDestination(int a, int b) {
        return portOf[a] == portOf[b] && addressLengthOf[a] == addressLengthOf[b]
                && Arrays.equals(addressOf, a * 16, a * 16 + addressLengthOf[a], addressOf, b * 16, b * 16 + addressLengthOf[b]);
    }

    private byte[] addressBytes(int entry) {
        byte[] address = addressLengthOf[entry] == 4 ? ipv4 : ipv6;
        System.arraycopy(addressOf, entry * 16, address, 0, address.length);
        return address;
    }
}
