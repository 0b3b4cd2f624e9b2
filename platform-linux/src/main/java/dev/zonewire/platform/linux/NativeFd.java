package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A non-blocking file descriptor that threads can wait on and that another thread can close.
 *
 * <p>Every use is bracketed by {@link #acquire()} and {@link #release()}, so the descriptor is
 * closed only once no call is using it: a number the kernel hands out again cannot be read by a
 * thread that still holds the old one. {@link #close()} signals an eventfd that every waiter also
 * polls, so a thread blocked in {@link #awaitReadable} wakes up at once with an
 * {@link AsynchronousCloseException}.
 *
 * <p>One thread may wait for readability while another waits for writability; two threads
 * waiting for the same direction is not supported (each direction has one pollfd buffer).
 *
 * <p>A descriptor made without a wake-up ({@code wakeable} false) saves the eventfd: its owner
 * waits on it only with a timeout, or not at all (an event loop polling many sockets), because
 * {@link #close()} cannot interrupt such a wait.
 */
final class NativeFd implements AutoCloseable {
    private static final int CLOSED = 1 << 30;
    private static final long POLLFD_SIZE = 8;

    private final int fd;
    private final int wakeFd;
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readPoll;
    private final MemorySegment writePoll;
    private final AtomicInteger state = new AtomicInteger();
    private final MemorySegment wakeValue;

    private final CountDownLatch closedNow = new CountDownLatch(1);

    /** Takes ownership of {@code fd}, which must already be non-blocking; {@link #close()} wakes waiters. */
    NativeFd(int fd, String description) throws ErrnoException {
        this(fd, description, true);
    }

    /** Takes ownership of {@code fd}; with {@code wakeable} false there is no eventfd (see the class comment). */
    NativeFd(int fd, String description, boolean wakeable) throws ErrnoException {
        int wake = wakeable ? Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK) : -1;
        if (wakeable && wake < 0) {
            Libc.close(fd);
            arena.close();
            throw new ErrnoException("eventfd for " + description, -wake);
        }
        this.fd = fd;
        this.wakeFd = wake;
        this.description = description;
        this.wakeValue = arena.allocateFrom(JAVA_LONG, 1L);
        this.readPoll = pollFds(Libc.POLLIN);
        this.writePoll = pollFds(Libc.POLLOUT);
    }

    /** Marks one use; returns the descriptor, valid until the matching {@link #release()}. */
    int acquire() throws ClosedChannelException {
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                throw new ClosedChannelException();
            }
            if (state.compareAndSet(current, current + 1)) {
                return fd;
            }
        }
    }

    void release() {
        if (state.decrementAndGet() == CLOSED) {
            closeNow();
        }
    }

    /** Memory that lives exactly as long as the descriptor: the owner's buffers and structures. */
    Arena arena() {
        return arena;
    }

    boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Waits until the descriptor is readable; false when {@code timeoutMillis} (negative: forever)
     * passed first. Must be called between acquire and release.
     */
    boolean awaitReadable(int timeoutMillis) throws IOException {
        return await(readPoll, timeoutMillis);
    }

    boolean awaitWritable(int timeoutMillis) throws IOException {
        return await(writePoll, timeoutMillis);
    }

    /** Closes the descriptor once no call is using it, and wakes every waiting thread now. */
    @Override
    public void close() {
        // Closing counts as a use, so that the eventfd stays open while it is signalled.
        while (true) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(current, (current + 1) | CLOSED)) {
                break;
            }
        }
        if (wakeFd >= 0) {
            Libc.write(wakeFd, wakeValue, Long.BYTES);
        }
        release();
    }

    @Override
    public String toString() {
        return description;
    }

    private boolean await(MemorySegment pollFds, int timeoutMillis) throws IOException {
        while (true) {
            int ready = Libc.poll(pollFds, wakeFd >= 0 ? 2 : 1, timeoutMillis);
            if (ready == -Errno.EINTR) {
                continue;
            }
            if (ready < 0) {
                // Not Libc.check: the message would be built on every call of this hot path.
                throw new ErrnoException("poll " + description, -ready);
            }
            if ((wakeFd >= 0 && pollFds.get(JAVA_SHORT, POLLFD_SIZE + 6) != 0) || !isOpen()) {
                throw new AsynchronousCloseException();
            }
            return ready > 0;
        }
    }

    private MemorySegment pollFds(short events) {
        MemorySegment pollFds = arena.allocate(2 * POLLFD_SIZE, 8);
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, events);
        pollFds.set(JAVA_INT, POLLFD_SIZE, wakeFd);
        pollFds.set(JAVA_SHORT, POLLFD_SIZE + 4, Libc.POLLIN);
        return pollFds;
    }

    /**
     * Waits until the descriptor is really closed (a call that was using it has returned), e.g. so
     * that its port can be bound again; false when {@code timeout} passed first.
     */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedNow.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closeNow() {
        Libc.close(fd);
        closedNow.countDown();
        if (wakeFd >= 0) {
            Libc.close(wakeFd);
        }
        arena.close();
    }
}
