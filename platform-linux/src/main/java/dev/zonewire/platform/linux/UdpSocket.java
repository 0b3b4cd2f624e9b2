package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A UDP socket for the data path: many datagrams per system call ({@code recvmmsg},
 * {@code sendmmsg}), optional segmentation offload (GSO: one slot becomes many datagrams on the
 * way out; GRO: many datagrams of one sender arrive in one slot), and the local address every
 * datagram was sent to ({@code IP_PKTINFO}), which a host with several addresses needs.
 *
 * <p>Like the reference's sockets, IPv6 sockets are IPv6-only and fragmentation is off: the
 * kernel sets DF and refuses ({@code EMSGSIZE}) a datagram larger than the interface MTU instead
 * of fragmenting it ({@code IP_PMTUDISC_PROBE}).
 *
 * <p>Threads: one thread may receive while another sends; {@link #close()} may be called from
 * any thread and wakes a blocked receiver with an
 * {@link java.nio.channels.AsynchronousCloseException}. The socket lives in the network namespace
 * of the thread that opened it.
 */
public final class UdpSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpSocket.class);

    /** The most datagrams one GSO send may carry on every kernel that has GSO. */
    public static final int MAX_GSO_SEGMENTS = 64;

    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_UDP = 17;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_MARK = 36;
    private static final int IP_PKTINFO = 8;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IP_PMTUDISC_PROBE = 3;
    private static final int IPV6_MTU_DISCOVER = 23;
    private static final int IPV6_PMTUDISC_PROBE = 3;
    private static final int IPV6_V6ONLY = 26;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_PKTINFO = 50;
    private static final int IPV6_DONTFRAG = 62;
    private static final int UDP_SEGMENT = 103;
    private static final int UDP_GRO = 104;
    private static final int MSG_CTRUNC = 0x08;
    private static final int MSG_TRUNC = 0x20;
    private static final int CMSG_HEADER = 16;

    private final NativeFd fd;
    private final boolean ipv6;
    private final InetSocketAddress localAddress;
    private final boolean receiveOffload;
    private volatile boolean sendOffload;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final String description;
    private long datagramsReceived;
    private long datagramsSent;
    private long receivesDropped;
    private long sendsFailed;
    private int lastSendErrno;

    private UdpSocket(NativeFd fd, boolean ipv6, InetSocketAddress localAddress, boolean receiveOffload,
            boolean sendOffload, int receiveBufferSize, int sendBufferSize) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.localAddress = localAddress;
        this.receiveOffload = receiveOffload;
        this.sendOffload = sendOffload;
        this.receiveBufferSize = receiveBufferSize;
        this.sendBufferSize = sendBufferSize;
        this.description = "UDP socket " + format(localAddress);
    }

    /**
     * Opens and binds a socket in the calling thread's network namespace.
     *
     * @throws ErrnoException naming the step, e.g. {@code "bind UDP socket to 127.0.0.1:53:
     *     Permission denied (EACCES)"}
     */
    public static UdpSocket open(UdpSocketOptions options) throws IOException {
        boolean ipv6 = options.bindAddress().getAddress() instanceof Inet6Address;
        int family = ipv6 ? SocketAddresses.AF_INET6 : SocketAddresses.AF_INET;
        int descriptor = Libc.check(Libc.socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP),
                "open " + (ipv6 ? "IPv6" : "IPv4") + " UDP socket");
        NativeFd fd = new NativeFd(descriptor, "UDP socket", !options.polled());
        try (Arena arena = Arena.ofConfined()) {
            Options socket = new Options(descriptor, arena, format(options.bindAddress()));
            if (ipv6) {
                socket.set(IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                socket.set(IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                socket.set(IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE, "IPV6_MTU_DISCOVER");
                socket.set(IPPROTO_IPV6, IPV6_DONTFRAG, 1, "IPV6_DONTFRAG");
            } else {
                socket.set(IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
                socket.set(IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE, "IP_MTU_DISCOVER");
            }
            if (options.receiveBufferSize() > 0) {
                socket.setBuffer(SO_RCVBUFFORCE, SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            }
            if (options.sendBufferSize() > 0) {
                socket.setBuffer(SO_SNDBUFFORCE, SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            }
            if (options.firewallMark() != 0) {
                socket.set(SOL_SOCKET, SO_MARK, options.firewallMark(), "SO_MARK");
            }
            // Kernels without GRO (before 5.0) or GSO (before 4.18) refuse the option: no offload then.
            boolean receiveOffload = options.receiveOffload() && socket.trySet(IPPROTO_UDP, UDP_GRO, 1);
            boolean sendOffload = socket.tryGet(IPPROTO_UDP, UDP_SEGMENT);

            MemorySegment address = arena.allocate(SocketAddresses.MAX_SIZE, 8);
            int length = SocketAddresses.write(address, options.bindAddress());
            Libc.check(Libc.bind(descriptor, address, length), "bind UDP socket to " + format(options.bindAddress()));
            MemorySegment addressLength = arena.allocateFrom(JAVA_INT, SocketAddresses.MAX_SIZE);
            Libc.check(Libc.getsockname(descriptor, address, addressLength), "read address of UDP socket");
            UdpSocket udp = new UdpSocket(fd, ipv6, SocketAddresses.read(address), receiveOffload, sendOffload,
                    socket.get(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF"), socket.get(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF"));
            LOG.atLevel(options.polled() ? Level.DEBUG : Level.INFO)
                    .log("Opened {} (receive buffer {} B, send buffer {} B, GRO {}, GSO {})", udp.description,
                            udp.receiveBufferSize, udp.sendBufferSize, receiveOffload, sendOffload);
            return udp;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The bound address, with the port the kernel picked. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Whether received slots may hold several datagrams (UDP_GRO is on). */
    public boolean receiveOffload() {
        return receiveOffload;
    }

    /**
     * Whether a slot with a {@link DatagramBatch#setSegmentSize segment size} goes out as one
     * GSO send. Without it, such slots are sent one datagram per message instead.
     */
    public boolean sendOffload() {
        return sendOffload;
    }

    /** The receive buffer the kernel gave (it doubles what was asked for, for its bookkeeping). */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * Receives datagrams into {@code batch}, waiting for the first, then taking all that are
     * already queued, up to the batch's capacity.
     *
     * @return how many slots hold datagrams, at least 1
     */
    public int receive(DatagramBatch batch) throws IOException {
        return receive(batch, -1);
    }

    /**
     * Like {@link #receive(DatagramBatch)}, but returns 0 when nothing came within
     * {@code timeoutMillis} (0: do not wait; negative: wait forever).
     */
    public int receive(DatagramBatch batch, int timeoutMillis) throws IOException {
        if (receiveOffload && batch.slotSize() < 65535) {
            throw new IllegalArgumentException("with receive offload every slot needs 65535 bytes, not "
                    + batch.slotSize());
        }
        int descriptor = fd.acquire();
        try {
            while (true) {
                prepareReceive(batch);
                int count = Libc.recvmmsg(descriptor, batch.headers, batch.capacity(), 0);
                if (count >= 0) {
                    return collect(batch, count);
                }
                if (count == -Errno.EAGAIN) {
                    if (!fd.awaitReadable(timeoutMillis)) {
                        batch.setSize(0);
                        return 0;
                    }
                } else if (count != -Errno.EINTR) {
                    throw new ErrnoException("receive on " + description, -count);
                }
            }
        } finally {
            fd.release();
        }
    }

    /**
     * Sends the slots of {@code batch}, waiting while the socket buffer is full. A datagram the
     * kernel refuses (unreachable network, too large, wrong address family) is counted in
     * {@link UdpStats#sendsFailed()} and skipped; the others still go.
     *
     * @return how many datagrams the kernel took (a GSO slot counts each of its datagrams)
     */
    public int send(DatagramBatch batch) throws IOException {
        int descriptor = fd.acquire();
        try {
            for (int i = 0; i < batch.size(); i++) {
                prepareSend(batch, i, sendOffload);
            }
            int sent = 0;
            int next = 0;
            while (next < batch.size()) {
                if (!sendOffload && isSegmented(batch, next)) {
                    sent += sendSegmentsSeparately(descriptor, batch, next);
                    next++;
                    continue;
                }
                int count = Libc.sendmmsg(descriptor, batch.headersFrom(next), sendableRun(batch, next), 0);
                if (count > 0) {
                    for (int i = next; i < next + count; i++) {
                        sent += batch.datagramCount(i);
                    }
                    next += count;
                } else if (count == -Errno.EAGAIN) {
                    fd.awaitWritable(-1);
                } else if (count == -Errno.EIO && sendOffload && isSegmented(batch, next)) {
                    LOG.warn("{}: the outgoing device refused a GSO send (EIO); sending datagrams one by one from now on",
                            description);
                    stopSendOffload();
                } else if (count != -Errno.EINTR) {
                    sendsFailed += batch.datagramCount(next);
                    lastSendErrno = -count;
                    next++;
                }
            }
            datagramsSent += sent;
            return sent;
        } finally {
            fd.release();
        }
    }

    /** From now on, slots with a segment size are sent one datagram per message (the device cannot segment). */
    void stopSendOffload() {
        sendOffload = false;
    }

    /** How many slots from {@code first} one {@code sendmmsg} may take: all, or without GSO those before the next segmented one. */
    private int sendableRun(DatagramBatch batch, int first) {
        if (sendOffload) {
            return batch.size() - first;
        }
        int end = first;
        while (end < batch.size() && !isSegmented(batch, end)) {
            end++;
        }
        return end - first;
    }

    public UdpStats stats() {
        return new UdpStats(datagramsReceived, datagramsSent, receivesDropped, sendsFailed, lastSendErrno);
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /** The descriptor, for a {@link UdpPoller} to watch. */
    NativeFd descriptor() {
        return fd;
    }

    /** Closes the socket and wakes a thread blocked in {@code receive}. */
    @Override
    public void close() {
        fd.close();
    }

    /**
     * Waits until a closed socket has really let go of its port: the descriptor closes once a
     * {@code receive} or {@code send} running in another thread has returned. False after {@code timeout}.
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return fd.awaitClosed(timeout);
    }

    @Override
    public String toString() {
        return description;
    }

    private static void prepareReceive(DatagramBatch batch) {
        for (int i = 0; i < batch.capacity(); i++) {
            long header = i * DatagramBatch.MMSGHDR_SIZE;
            batch.iovecs.set(JAVA_LONG, i * DatagramBatch.IOVEC_SIZE, batch.slot(i).address());
            batch.iovecs.set(JAVA_LONG, i * DatagramBatch.IOVEC_SIZE + 8, batch.slotSize());
            batch.headers.set(JAVA_INT, header + 8, SocketAddresses.MAX_SIZE);
            batch.headers.set(JAVA_LONG, header + 32, batch.control(i).address());
            batch.headers.set(JAVA_LONG, header + 40, DatagramBatch.CONTROL_SIZE);
            batch.headers.set(JAVA_INT, header + 48, 0);
        }
    }

    /** Reads what {@code recvmmsg} left in the headers; drops cut-short datagrams, keeping the rest in order. */
    private int collect(DatagramBatch batch, int count) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long header = i * DatagramBatch.MMSGHDR_SIZE;
            int length = batch.headers.get(JAVA_INT, header + 56);
            int flags = batch.headers.get(JAVA_INT, header + 48);
            if ((flags & MSG_TRUNC) != 0) {
                receivesDropped++;
                continue;
            }
            int segmentSize = readControl(batch, i, header, flags);
            if (kept != i) {
                moveSlot(batch, i, kept, length);
            }
            batch.received(kept, length, segmentSize);
            datagramsReceived += batch.datagramCount(kept);
            kept++;
        }
        batch.setSize(kept);
        return kept;
    }

    /** Stores the packet info of slot {@code i} and returns the GRO segment size, 0 if none. */
    private int readControl(DatagramBatch batch, int i, long header, int flags) {
        MemorySegment control = batch.control(i);
        long controlLength = (flags & MSG_CTRUNC) != 0
                ? 0 : Math.min(batch.headers.get(JAVA_LONG, header + 40), DatagramBatch.CONTROL_SIZE);
        int segmentSize = 0;
        batch.setLocal(i, (byte[]) null);
        for (long offset = 0; offset + CMSG_HEADER <= controlLength; ) {
            long length = control.get(JAVA_LONG, offset);
            int level = control.get(JAVA_INT, offset + 8);
            int type = control.get(JAVA_INT, offset + 12);
            if (length < CMSG_HEADER || offset + length > controlLength) {
                break;
            }
            long data = offset + CMSG_HEADER;
            if (level == IPPROTO_IP && type == IP_PKTINFO && length >= CMSG_HEADER + 12) {
                batch.setLocalAddress(i, control, data + 8, 4);
            } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && length >= CMSG_HEADER + 20) {
                batch.setLocalAddress(i, control, data, 16);
            } else if (level == IPPROTO_UDP && type == UDP_GRO && length >= CMSG_HEADER + 4) {
                segmentSize = control.get(JAVA_INT, data);
            }
            offset += (length + 7) & ~7L;
        }
        return segmentSize;
    }

    /** Copies a received datagram from slot {@code from} to the earlier slot {@code to}. */
    private static void moveSlot(DatagramBatch batch, int from, int to, int length) {
        MemorySegment.copy(batch.slot(from), 0, batch.slot(to), 0, length);
        MemorySegment.copy(batch.name(from), 0, batch.name(to), 0, SocketAddresses.MAX_SIZE);
        batch.copyLocalAddress(from, to);
    }

    private void prepareSend(DatagramBatch batch, int i, boolean segment) {
        long header = i * DatagramBatch.MMSGHDR_SIZE;
        batch.iovecs.set(JAVA_LONG, i * DatagramBatch.IOVEC_SIZE, batch.slot(i).address());
        batch.iovecs.set(JAVA_LONG, i * DatagramBatch.IOVEC_SIZE + 8, batch.length(i));
        batch.headers.set(JAVA_INT, header + 8, SocketAddresses.length(batch.name(i)));
        batch.headers.set(JAVA_LONG, header + 32, batch.control(i).address());
        batch.headers.set(JAVA_LONG, header + 40, writeSendControl(batch, i, segment));
        batch.headers.set(JAVA_INT, header + 48, 0);
    }

    /** Writes the source address and GSO segment size messages of slot {@code i}; returns their length. */
    private int writeSendControl(DatagramBatch batch, int i, boolean segment) {
        MemorySegment control = batch.control(i);
        int offset = 0;
        if (batch.localAddressLength(i) == (ipv6 ? 16 : 4)) {
            if (ipv6) {
                // in6_pktinfo: the source address, then interface index 0 (any).
                writeControlHeader(control, 0, IPPROTO_IPV6, IPV6_PKTINFO, 20);
                batch.copyLocalAddress(i, control, CMSG_HEADER);
                control.set(JAVA_INT, CMSG_HEADER + 16, 0);
                offset = CMSG_HEADER + 24;
            } else {
                // in_pktinfo: interface index 0, the source address (ipi_spec_dst), an unused address.
                writeControlHeader(control, 0, IPPROTO_IP, IP_PKTINFO, 12);
                control.set(JAVA_INT, CMSG_HEADER, 0);
                batch.copyLocalAddress(i, control, CMSG_HEADER + 4);
                control.set(JAVA_INT, CMSG_HEADER + 8, 0);
                offset = CMSG_HEADER + 16;
            }
        }
        if (segment && isSegmented(batch, i)) {
            writeControlHeader(control, offset, IPPROTO_UDP, UDP_SEGMENT, 2);
            control.set(JAVA_SHORT, offset + CMSG_HEADER, (short) batch.segmentSize(i));
            offset += CMSG_HEADER + 8;
        }
        return offset;
    }

    private static void writeControlHeader(MemorySegment control, long offset, int level, int type, int dataLength) {
        control.set(JAVA_LONG, offset, CMSG_HEADER + dataLength);
        control.set(JAVA_INT, offset + 8, level);
        control.set(JAVA_INT, offset + 12, type);
    }

    private static boolean isSegmented(DatagramBatch batch, int i) {
        return batch.segmentSize(i) > 0 && batch.segmentSize(i) < batch.length(i);
    }

    /** Sends the datagrams of GSO slot {@code i} one message each; returns how many went. */
    private int sendSegmentsSeparately(int descriptor, DatagramBatch batch, int i) throws IOException {
        long header = i * DatagramBatch.MMSGHDR_SIZE;
        long iovec = i * DatagramBatch.IOVEC_SIZE;
        batch.headers.set(JAVA_LONG, header + 40, writeSendControl(batch, i, false));
        MemorySegment message = batch.headersFrom(i);
        int sent = 0;
        int segmentSize = batch.segmentSize(i);
        for (int offset = 0; offset < batch.length(i); offset += segmentSize) {
            batch.iovecs.set(JAVA_LONG, iovec, batch.slot(i).address() + offset);
            batch.iovecs.set(JAVA_LONG, iovec + 8, Math.min(segmentSize, batch.length(i) - offset));
            int count;
            do {
                count = Libc.sendmmsg(descriptor, message, 1, 0);
                if (count == -Errno.EAGAIN) {
                    fd.awaitWritable(-1);
                }
            } while (count == -Errno.EAGAIN || count == -Errno.EINTR);
            if (count == 1) {
                sent++;
            } else {
                sendsFailed++;
                lastSendErrno = -count;
            }
        }
        return sent;
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** setsockopt and getsockopt of one integer, with errors that name the option and the socket. */
    private record Options(int fd, Arena arena, String socket) {
        void set(int level, int option, int value, String name) throws ErrnoException {
            Libc.check(trySetResult(level, option, value), "set " + name + " on UDP socket " + socket);
        }

        boolean trySet(int level, int option, int value) {
            return trySetResult(level, option, value) == 0;
        }

        /** The FORCE variant lifts the sysctl cap but needs CAP_NET_ADMIN; the plain one is capped. */
        void setBuffer(int forceOption, int option, int value, String name) throws ErrnoException {
            int result = trySetResult(SOL_SOCKET, forceOption, value);
            if (result == -Errno.EPERM) {
                set(SOL_SOCKET, option, value, name);
            } else {
                Libc.check(result, "set " + name + "FORCE on UDP socket " + socket);
            }
        }

        int get(int level, int option, String name) throws ErrnoException {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            Libc.check(Libc.getsockopt(fd, level, option, value, length), "read " + name + " of UDP socket " + socket);
            return value.get(JAVA_INT, 0);
        }

        boolean tryGet(int level, int option) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            return Libc.getsockopt(fd, level, option, value, length) == 0;
        }

        private int trySetResult(int level, int option, int value) {
            return Libc.setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value), 4);
        }
    }
}
