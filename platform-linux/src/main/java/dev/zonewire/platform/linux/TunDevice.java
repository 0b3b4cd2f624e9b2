package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TUN interface: IP packets the kernel routes to the interface are read here, and IP
 * packets written here enter the kernel as if they had arrived on it.
 *
 * <p>Opening needs CAP_NET_ADMIN (or an interface created beforehand for this user) and
 * {@code /dev/net/tun}. The device lives in the network namespace of the thread that opens it
 * (see {@link NetworkNamespace}); the interface goes away when its last descriptor is closed.
 *
 * <p>Threads: one thread may read while another writes; {@link #close()} may be called from any
 * thread and wakes a blocked reader, which then gets an
 * {@link java.nio.channels.AsynchronousCloseException}. Two concurrent readers (or writers) of
 * the same device are not supported; open more queues with
 * {@link TunOptions#withMultiQueue(boolean)} for that.
 */
public final class TunDevice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunDevice.class);
    private static final Path DEVICE_PATH = Path.of("/dev/net/tun");
    private static final int S_IFCHR = 0020000;
    private static final long TUN_DEVICE_NUMBER = (10 << 8) | 200;
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final int TUN_F_TSO6 = 0x04;
    private static final int TUN_F_USO4 = 0x20;
    private static final int TUN_F_USO6 = 0x40;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS = 16;
    private static final int MAX_PACKET = 65535;
    private static final int NOTHING_READY = -1;
    private static final int SKIPPED = -2;

    private final NativeFd fd;
    private final String name;
    /** Built once: the message of a failed write, so that a successful one allocates nothing. */
    private final String writeFailure;
    private final int index;
    private final TunOptions options;
    private final GsoSplitter splitter;
    private final MemorySegment readBuffer;
    private final TcpCoalescer coalescer;
    private final MemorySegment writeBuffer;
    private int pendingSegment;
    private int pendingSegments;
    private long packetsRead;
    private long packetsWritten;
    private long readsDropped;
    private long writesRejected;
    private long superPacketsRead;
    private long superPacketsWritten;

    private TunDevice(NativeFd fd, String name, int index, TunOptions options) {
        this.fd = fd;
        this.name = name;
        this.writeFailure = "write to TUN " + name;
        this.index = index;
        this.options = options;
        Arena arena = fd.arena();
        if (options.offload()) {
            readBuffer = arena.allocate(GsoSplitter.VNET_HEADER_SIZE + MAX_PACKET, 64);
            splitter = new GsoSplitter(readBuffer);
            coalescer = new TcpCoalescer(arena);
            writeBuffer = arena.allocate(MAX_PACKET, 64);
        } else {
            readBuffer = null;
            splitter = null;
            coalescer = null;
            writeBuffer = null;
        }
    }

    /**
     * Creates the interface {@link TunOptions#name()}, or attaches to it if it exists, in the
     * calling thread's network namespace. The interface starts down, without addresses; configure
     * it with {@link Rtnetlink}. Like the reference, a missing {@code /dev/net/tun} is created
     * (character device 10:200).
     *
     * @throws ErrnoException naming the step that failed, e.g. {@code "create /dev/net/tun (mknod
     *     c 10 200): Operation not permitted (EPERM)"} or {@code "create or attach TUN interface
     *     zw0 (TUNSETIFF): Operation not permitted (EPERM)"}
     */
    public static TunDevice open(TunOptions options) throws IOException {
        return open(options, DEVICE_PATH);
    }

    static TunDevice open(TunOptions options, Path device) throws IOException {
        int descriptor = openDevice(device);
        NativeFd fd = new NativeFd(descriptor, "TUN " + options.name());
        try {
            String name = setInterface(descriptor, options);
            if (options.offload()) {
                enableOffload(descriptor, name);
            }
            int index = Libc.check(Libc.ifNameToIndex(fd.arena().allocateFrom(name)), "find index of " + name);
            LOG.info("Opened TUN device {} (index {}, multi-queue {}, offload {})", name, index, options.multiQueue(),
                    options.offload());
            return new TunDevice(fd, name, index, options);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return name;
    }

    /** The interface index, for {@link Rtnetlink}. */
    public int index() {
        return index;
    }

    public TunOptions options() {
        return options;
    }

    /**
     * Reads packets into {@code batch}, waiting for the first one, then taking every other
     * packet that is already queued until the batch is full.
     *
     * @return how many packets, at least 1; {@link PacketBatch#size()} says the same
     */
    public int read(PacketBatch batch) throws IOException {
        return read(batch, -1);
    }

    /**
     * Like {@link #read(PacketBatch)}, but returns 0 when no packet came within
     * {@code timeoutMillis} (0: do not wait; negative: wait forever).
     */
    public int read(PacketBatch batch, int timeoutMillis) throws IOException {
        int descriptor = fd.acquire();
        try {
            int count = 0;
            while (count < batch.capacity()) {
                int length = readPacket(descriptor, batch.slot(count));
                if (length == NOTHING_READY) {
                    if (count > 0 || !fd.awaitReadable(timeoutMillis)) {
                        break;
                    }
                } else if (length != SKIPPED) {
                    batch.filled(count++, length);
                }
            }
            batch.setSize(count);
            packetsRead += count;
            return count;
        } finally {
            fd.release();
        }
    }

    /**
     * Reads one packet into {@code destination}, waiting for it, and returns its length. Packets
     * larger than {@code destination} are dropped and counted.
     */
    public int read(MemorySegment destination) throws IOException {
        int descriptor = fd.acquire();
        try {
            while (true) {
                int length = readPacket(descriptor, destination);
                if (length >= 0) {
                    packetsRead++;
                    return length;
                }
                if (length == NOTHING_READY) {
                    fd.awaitReadable(-1);
                }
            }
        } finally {
            fd.release();
        }
    }

    /** Reads one packet into {@code destination} from its position, which then moves past it. */
    public int read(ByteBuffer destination) throws IOException {
        int length = read(MemorySegment.ofBuffer(destination));
        destination.position(destination.position() + length);
        return length;
    }

    /**
     * Writes the packets of {@code batch}. A packet the kernel refuses (not IPv4/IPv6, too big,
     * interface down) is counted in {@link TunStats#writesRejected()} and skipped, so that one bad
     * packet never stops the others. With offload, the TCP headers in the batch's slots may be
     * rewritten while segments are merged.
     *
     * @return how many packets the kernel took
     */
    public int write(PacketBatch batch) throws IOException {
        int descriptor = fd.acquire();
        try {
            int written = 0;
            int i = 0;
            while (i < batch.size()) {
                int covered = 1;
                long result;
                if (options.offload()) {
                    covered = coalescer.prepare(batch, i);
                    result = writeVector(descriptor, coalescer.iovecs(), coalescer.iovecCount());
                } else {
                    result = writeWhole(descriptor, batch.slot(i), batch.length(i));
                }
                if (result < 0) {
                    writesRejected += covered;
                } else {
                    written += covered;
                    superPacketsWritten += covered > 1 ? 1 : 0;
                }
                i += covered;
            }
            packetsWritten += written;
            return written;
        } finally {
            fd.release();
        }
    }

    /**
     * Writes one IP packet, the whole of {@code packet}.
     *
     * @throws ErrnoException when the kernel refuses it, e.g. {@code "write to TUN zw0: Invalid
     *     argument (EINVAL)"} for bytes that are not an IP packet
     */
    public void write(MemorySegment packet) throws IOException {
        if (packet.byteSize() > MAX_PACKET) {
            throw new ErrnoException("write to TUN " + name, Errno.EMSGSIZE);
        }
        int descriptor = fd.acquire();
        try {
            long result;
            if (options.offload()) {
                MemorySegment source = packet;
                if (!packet.isNative()) {
                    MemorySegment.copy(packet, 0, writeBuffer, 0, packet.byteSize());
                    source = writeBuffer;
                }
                result = writeVector(descriptor, coalescer.single(source, packet.byteSize()), 2);
            } else {
                result = writeWhole(descriptor, packet, packet.byteSize());
            }
            Libc.check(result, writeFailure);
            packetsWritten++;
        } finally {
            fd.release();
        }
    }

    /** Writes the packet between {@code packet}'s position and limit; the position moves to the limit. */
    public void write(ByteBuffer packet) throws IOException {
        write(MemorySegment.ofBuffer(packet));
        packet.position(packet.limit());
    }

    public TunStats stats() {
        return new TunStats(packetsRead, packetsWritten, readsDropped, writesRejected, superPacketsRead,
                superPacketsWritten);
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /**
     * Closes this descriptor and wakes a thread blocked in {@code read}. The interface disappears
     * with its last descriptor, taking its addresses and routes with it.
     */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + "]";
    }

    private static int openDevice(Path device) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(device.toString());
            int flags = Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC;
            int descriptor = Libc.open(path, flags);
            if (descriptor == -Errno.ENOENT) {
                createDevice(device, path);
                descriptor = Libc.open(path, flags);
            }
            return Libc.check(descriptor, "open " + device);
        }
    }

    /** Creates the device node, and its directory with mode 0751, as the reference does. */
    private static void createDevice(Path device, MemorySegment path) throws IOException {
        LOG.info("{} is missing; creating it", device);
        Path directory = device.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x--x"));
        }
        int result = Libc.mknod(path, S_IFCHR | 0666, TUN_DEVICE_NUMBER);
        if (result != -Errno.EEXIST) {
            Libc.check(result, "create " + device + " (mknod c 10 200)");
        }
    }

    private static String setInterface(int descriptor, TunOptions options) throws ErrnoException {
        short flags = (short) (IFF_TUN | IFF_NO_PI
                | (options.multiQueue() ? IFF_MULTI_QUEUE : 0)
                | (options.offload() ? IFF_VNET_HDR : 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(IFREQ_SIZE);
            byte[] name = options.name().getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(name, 0, request, JAVA_BYTE, 0, name.length);
            request.set(JAVA_SHORT, IFREQ_FLAGS, flags);
            Libc.check(Libc.ioctl(descriptor, TUNSETIFF, request),
                    "create or attach TUN interface " + options.name() + " (TUNSETIFF)");
            return request.getString(0);
        }
    }

    /**
     * Turns on checksum and TCP segmentation offload, and UDP segmentation offload where the
     * kernel has it (6.2 and later).
     */
    private static void enableOffload(int descriptor, String name) throws ErrnoException {
        int tcp = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
        int result = Libc.ioctl(descriptor, TUNSETOFFLOAD, tcp | TUN_F_USO4 | TUN_F_USO6);
        if (result == -Errno.EINVAL) {
            LOG.debug("The kernel has no UDP segmentation offload for TUN {}; TCP only", name);
            result = Libc.ioctl(descriptor, TUNSETOFFLOAD, tcp);
        }
        Libc.check(result, "enable offload on TUN " + name + " (TUNSETOFFLOAD)");
    }

    /**
     * The length of the next packet, written to {@code destination}; or NOTHING_READY; or SKIPPED
     * when this attempt gave no packet (interrupted, or a packet dropped) and the next may.
     */
    private int readPacket(int descriptor, MemorySegment destination) throws IOException {
        if (options.offload()) {
            return readSegment(descriptor, destination);
        }
        long length = Libc.read(descriptor, destination, destination.byteSize());
        if (length > destination.byteSize() || length == 0) {
            readsDropped++;
            return SKIPPED;
        }
        return length < 0 ? readFailed(length) : (int) length;
    }

    private int readSegment(int descriptor, MemorySegment destination) throws IOException {
        if (pendingSegment == pendingSegments) {
            long length = Libc.read(descriptor, readBuffer, readBuffer.byteSize());
            if (length < 0) {
                return readFailed(length);
            }
            if (!splitter.prepare((int) length - GsoSplitter.VNET_HEADER_SIZE)) {
                readsDropped++;
                return SKIPPED;
            }
            pendingSegment = 0;
            pendingSegments = splitter.segmentCount();
            if (pendingSegments > 1) {
                superPacketsRead++;
            }
        }
        int length = splitter.writeSegment(pendingSegment++, destination);
        if (length < 0) {
            readsDropped++;
            return SKIPPED;
        }
        return length;
    }

    private int readFailed(long result) throws ErrnoException {
        if (result == -Errno.EAGAIN) {
            return NOTHING_READY;
        }
        if (result == -Errno.EINTR) {
            return SKIPPED;
        }
        throw new ErrnoException("read from TUN " + name, (int) -result);
    }

    private long writeWhole(int descriptor, MemorySegment packet, long length) throws IOException {
        while (true) {
            long result = Libc.write(descriptor, packet, length);
            if (result == -Errno.EAGAIN) {
                fd.awaitWritable(-1);
            } else if (result != -Errno.EINTR) {
                return fatalWriteError(result);
            }
        }
    }

    private long writeVector(int descriptor, MemorySegment iovecs, int count) throws IOException {
        while (true) {
            long result = Libc.writev(descriptor, iovecs, count);
            if (result == -Errno.EAGAIN) {
                fd.awaitWritable(-1);
            } else if (result != -Errno.EINTR) {
                return fatalWriteError(result);
            }
        }
    }

    /** Passes a packet's result through, but throws for errors that concern the device, not the packet. */
    private long fatalWriteError(long result) throws ErrnoException {
        if (result == -Errno.EBADF || result == -Errno.EBADFD) {
            throw new ErrnoException("write to TUN " + name, (int) -result);
        }
        return result;
    }
}
