package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable set of datagram buffers in native memory with their addresses, for sending and
 * receiving many datagrams per system call ({@code sendmmsg}/{@code recvmmsg}) through a
 * {@link UdpSocket} without allocating.
 *
 * <p>Each slot holds one datagram, or, with segmentation offload, several datagrams of the same
 * size (the last may be shorter) to or from the same address, back to back:
 * {@link #segmentSize(int)} gives the size of each. After a receive, slot {@code i} has the
 * sender ({@link #remotePort}, {@link #remoteAddress(int, byte[])}) and the local address the
 * datagram was sent to ({@link #localAddress(int, byte[])}). For a send, fill the data, the
 * length, the destination and optionally the source address and segment size of every slot,
 * then {@link #setSize(int) the count}. A batch belongs to one thread at a time.
 */
public final class DatagramBatch implements AutoCloseable {
    static final long MMSGHDR_SIZE = 64;
    static final long IOVEC_SIZE = 16;
    static final long CONTROL_SIZE = 128;

    private final Arena arena = Arena.ofShared();
    private final int slotSize;
    private final MemorySegment[] slots;
    private final ByteBuffer[] buffers;
    private final int[] lengths;
    private final int[] segmentSizes;
    private final byte[] localAddresses;
    private final byte[] localAddressLengths;
    final MemorySegment headers;
    final MemorySegment iovecs;
    private final MemorySegment[] headersFrom;
    private final MemorySegment[] names;
    private final MemorySegment[] controls;
    private int size;

    private DatagramBatch(int capacity, int slotSize) {
        this.slotSize = slotSize;
        MemorySegment data = arena.allocate((long) capacity * slotSize, 64);
        this.headers = arena.allocate(capacity * MMSGHDR_SIZE, 8);
        this.iovecs = arena.allocate(capacity * IOVEC_SIZE, 8);
        MemorySegment nameMemory = arena.allocate((long) capacity * SocketAddresses.MAX_SIZE, 8);
        MemorySegment controlMemory = arena.allocate(capacity * CONTROL_SIZE, 8);
        this.headersFrom = new MemorySegment[capacity];
        this.names = new MemorySegment[capacity];
        this.controls = new MemorySegment[capacity];
        this.slots = new MemorySegment[capacity];
        this.buffers = new ByteBuffer[capacity];
        this.lengths = new int[capacity];
        this.segmentSizes = new int[capacity];
        this.localAddresses = new byte[capacity * 16];
        this.localAddressLengths = new byte[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = data.asSlice((long) i * slotSize, slotSize);
            names[i] = nameMemory.asSlice((long) i * SocketAddresses.MAX_SIZE, SocketAddresses.MAX_SIZE);
            controls[i] = controlMemory.asSlice(i * CONTROL_SIZE, CONTROL_SIZE);
            buffers[i] = slots[i].asByteBuffer();
            iovecs.set(JAVA_LONG, i * IOVEC_SIZE, slots[i].address());
            long header = i * MMSGHDR_SIZE;
            headersFrom[i] = headers.asSlice(header);
            headers.set(JAVA_LONG, header, name(i).address());
            headers.set(JAVA_LONG, header + 16, iovecs.address() + i * IOVEC_SIZE);
            headers.set(JAVA_LONG, header + 24, 1);
        }
    }

    /**
     * A batch of {@code capacity} slots of {@code slotSize} bytes. To receive with GRO, or to send
     * with GSO, a slot needs room for many datagrams: 65535 bytes.
     */
    public static DatagramBatch allocate(int capacity, int slotSize) {
        if (capacity < 1 || capacity > 1024) {
            throw new IllegalArgumentException("capacity must be 1..1024 (UIO_MAXIOV), not " + capacity);
        }
        if (slotSize < 1 || slotSize > 65535) {
            throw new IllegalArgumentException("slotSize must be 1..65535 bytes, not " + slotSize);
        }
        return new DatagramBatch(capacity, slotSize);
    }

    public int capacity() {
        return slots.length;
    }

    public int slotSize() {
        return slotSize;
    }

    /** How many slots hold datagrams. */
    public int size() {
        return size;
    }

    public void setSize(int size) {
        Objects.checkIndex(size, slots.length + 1);
        this.size = size;
    }

    public void clear() {
        size = 0;
    }

    /** The whole slot {@code i}; the data is its first {@link #length(int)} bytes. */
    public MemorySegment slot(int i) {
        return slots[i];
    }

    /** A buffer over slot {@code i}, the same object every time; after a receive, limit = length. */
    public ByteBuffer buffer(int i) {
        return buffers[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public void setLength(int i, int length) {
        Objects.checkIndex(length, slotSize + 1);
        lengths[i] = length;
    }

    /**
     * The size of each datagram in slot {@code i}: after a receive, the GRO segment size (equal
     * to the length when the slot holds one datagram); for a send, 0 or the length means one
     * datagram, a smaller value cuts the slot into datagrams of that size (GSO).
     */
    public int segmentSize(int i) {
        return segmentSizes[i];
    }

    public void setSegmentSize(int i, int segmentSize) {
        if (segmentSize < 0 || segmentSize > 65535) {
            throw new IllegalArgumentException("segment size must be 0..65535, not " + segmentSize);
        }
        segmentSizes[i] = segmentSize;
    }

    /** How many datagrams slot {@code i} holds. */
    public int datagramCount(int i) {
        int segment = segmentSizes[i];
        return segment == 0 || segment >= lengths[i] ? 1 : (lengths[i] + segment - 1) / segment;
    }

    public int remotePort(int i) {
        return SocketAddresses.port(name(i));
    }

    /** Copies the remote address into {@code destination} (16 bytes suffice) and returns 4 or 16. */
    public int remoteAddress(int i, byte[] destination) {
        return SocketAddresses.copyAddress(name(i), destination);
    }

    /** The remote address and port (allocates; use the other accessors on hot paths). */
    public InetSocketAddress remote(int i) {
        return SocketAddresses.read(name(i));
    }

    /** Sets where slot {@code i} goes: a 4- or 16-byte address and a port. */
    public void setRemote(int i, byte[] address, int port) {
        SocketAddresses.write(name(i), address, port);
    }

    public void setRemote(int i, InetSocketAddress remote) {
        SocketAddresses.write(name(i), remote);
    }

    /**
     * Copies the local address of slot {@code i} into {@code destination} and returns 4 or 16; 0
     * when there is none (the kernel gave no packet info, or no source was set for a send).
     */
    public int localAddress(int i, byte[] destination) {
        int length = localAddressLengths[i];
        System.arraycopy(localAddresses, i * 16, destination, 0, length);
        return length;
    }

    /** The local address of slot {@code i}, or null (allocates). */
    public InetAddress local(int i) {
        int length = localAddressLengths[i];
        return length == 0 ? null : SocketAddresses.inetAddress(localAddresses, i * 16, length, 0);
    }

    /**
     * Sets the source address to send slot {@code i} from ({@code IP_PKTINFO}), for a host with
     * several addresses: 4 or 16 bytes, or null (the default) to let the kernel choose. An
     * address of the other family than the socket's is ignored.
     */
    public void setLocal(int i, byte[] address) {
        int length = address == null ? 0 : address.length;
        if (length != 0 && length != 4 && length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
        }
        if (length != 0) {
            System.arraycopy(address, 0, localAddresses, i * 16, length);
        }
        localAddressLengths[i] = (byte) length;
    }

    /** Like {@link #setLocal(int, byte[])} (allocates). */
    public void setLocal(int i, InetAddress local) {
        setLocal(i, local == null ? null : local.getAddress());
    }

    @Override
    public void close() {
        arena.close();
    }

    int localAddressLength(int i) {
        return localAddressLengths[i];
    }

    /** Writes the local address bytes of slot {@code i} into native memory. */
    void copyLocalAddress(int i, MemorySegment destination, long offset) {
        MemorySegment.copy(localAddresses, i * 16, destination, JAVA_BYTE, offset, localAddressLengths[i]);
    }

    void copyLocalAddress(int from, int to) {
        System.arraycopy(localAddresses, from * 16, localAddresses, to * 16, 16);
        localAddressLengths[to] = localAddressLengths[from];
    }

    void setLocalAddress(int i, MemorySegment address, long offset, int length) {
        MemorySegment.copy(address, JAVA_BYTE, offset, localAddresses, i * 16, length);
        localAddressLengths[i] = (byte) length;
    }

    /** Records a received datagram in slot {@code i}. */
    void received(int i, int length, int segmentSize) {
        lengths[i] = length;
        segmentSizes[i] = segmentSize == 0 ? length : segmentSize;
        buffers[i].limit(length).position(0);
    }

    /** The message headers from slot {@code i} on, for a system call that starts there. */
    MemorySegment headersFrom(int i) {
        return headersFrom[i];
    }

    MemorySegment name(int i) {
        return names[i];
    }

    MemorySegment control(int i) {
        return controls[i];
    }
}
