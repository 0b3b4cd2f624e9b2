package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;

/**
 * Waits for any of many {@link UdpSocket}s to have datagrams, in one thread, through epoll: the
 * way one event loop serves thousands of sockets (a relay's allocations) without a thread each.
 * Each registered socket carries an int token of the owner's choosing; {@link #await} reports the
 * tokens of the sockets that are readable, which the owner then drains with
 * {@code receive(batch, 0)}. Readiness is level-triggered: a socket not drained is reported again.
 *
 * <p>One thread registers, unregisters and waits; {@link #wakeup()} may come from any thread and
 * makes a waiting {@link #await} return early. Nothing allocates after {@link #open}.
 */
public final class UdpPoller implements AutoCloseable {
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 0x1;
    // struct epoll_event is packed on x86-64 (4 + 8 bytes) and naturally aligned elsewhere.
    private static final boolean PACKED_EVENTS = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    private static final long EVENT_SIZE = PACKED_EVENTS ? 12 : 16;
    private static final long DATA_OFFSET = PACKED_EVENTS ? 4 : 8;
    private static final long WAKE_TOKEN = -1;

    private final int epollFd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment change;
    private final MemorySegment wakeValue;
    private final MemorySegment wakeDrain;
    private final int capacity;
    private final int[] ready;
    private boolean closed;

    private UdpPoller(int epollFd, int wakeFd, int capacity) {
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        this.capacity = capacity;
        this.events = arena.allocate(EVENT_SIZE * capacity, 8);
        this.change = arena.allocate(EVENT_SIZE, 8);
        this.wakeValue = arena.allocateFrom(JAVA_LONG, 1L);
        this.wakeDrain = arena.allocate(JAVA_LONG);
        this.ready = new int[capacity];
    }

    /**
     * A poller that reports up to {@code capacity} ready sockets per {@link #await}; more stay
     * ready for the next call.
     */
    public static UdpPoller open(int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        int epollFd = Libc.check(Libc.epollCreate1(EPOLL_CLOEXEC), "create epoll instance");
        int wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (wakeFd < 0) {
            Libc.close(epollFd);
            throw new ErrnoException("eventfd for epoll", -wakeFd);
        }
        UdpPoller poller = new UdpPoller(epollFd, wakeFd, capacity);
        try {
            poller.control(EPOLL_CTL_ADD, wakeFd, WAKE_TOKEN, "watch the wake-up eventfd");
        } catch (IOException e) {
            poller.close();
            throw e;
        }
        return poller;
    }

    /** Reports {@code socket} as {@code token} (0 or more) whenever it has datagrams. */
    public void register(UdpSocket socket, int token) throws IOException {
        if (token < 0) {
            throw new IllegalArgumentException("tokens are 0 or more, not " + token);
        }
        NativeFd fd = socket.descriptor();
        int descriptor = fd.acquire();
        try {
            control(EPOLL_CTL_ADD, descriptor, token, "watch " + socket);
        } finally {
            fd.release();
        }
    }

    /** Stops watching {@code socket}; a closed socket has left by itself, so that is no error. */
    public void unregister(UdpSocket socket) throws IOException {
        NativeFd fd = socket.descriptor();
        int descriptor;
        try {
            descriptor = fd.acquire();
        } catch (ClosedChannelException alreadyGone) {
            return;
        }
        try {
            control(EPOLL_CTL_DEL, descriptor, 0, "stop watching " + socket);
        } finally {
            fd.release();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (0: do not wait; negative: for ever) until a registered
     * socket is readable or {@link #wakeup()} is called, and returns how many sockets are ready;
     * {@link #token(int)} names them. 0 means the time passed or a wake-up came.
     */
    public int await(int timeoutMillis) throws IOException {
        int count = Libc.epollWait(epollFd, events, capacity, timeoutMillis);
        if (count == -Errno.EINTR) {
            return 0;
        }
        Libc.check(count, "wait for UDP sockets (epoll_wait)");
        int sockets = 0;
        for (int i = 0; i < count; i++) {
            long token = events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
            if (token == WAKE_TOKEN) {
                Libc.read(wakeFd, wakeDrain, Long.BYTES);
            } else {
                ready[sockets++] = (int) token;
            }
        }
        return sockets;
    }

    /** The token of the {@code i}-th ready socket of the last {@link #await}. */
    public int token(int i) {
        return ready[i];
    }

    /** Makes a current or the next {@link #await} return at once; callable from any thread. */
    public synchronized void wakeup() {
        if (!closed) {
            Libc.write(wakeFd, wakeValue, Long.BYTES);
        }
    }

    /** Closes the epoll instance; the sockets stay open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(epollFd);
        Libc.close(wakeFd);
        arena.close();
    }

    private void control(int operation, int fd, long token, String what) throws ErrnoException {
        change.set(JAVA_INT, 0, EPOLLIN);
        change.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, token);
        Libc.check(Libc.epollCtl(epollFd, operation, fd, change), what);
    }
}
