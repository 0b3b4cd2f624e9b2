package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls this module makes, as FFM downcalls. Every call returns what the C function
 * returns, except that a failure comes back as {@code -errno} instead of -1 with errno set: the
 * caller decides whether it is an exception, a retry (EAGAIN, EINTR) or a counted drop, and the
 * hot path allocates nothing.
 */
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    static final int MSG_DONTWAIT = 0x40;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> THREAD_CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle OPEN = variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle MKNOD = function("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle READ = function("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = function("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    // A non-blocking read or write of one packet is short enough to run as a critical call, which
    // is what lets these two accept heap segments (byte[]-backed buffers) without a copy.
    private static final MethodHandle READ_HEAP =
            critical("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE_HEAP =
            critical("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle READV = function("readv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WRITEV = function("writev", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle IOCTL_POINTER =
            variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle IOCTL_VALUE =
            variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle POLL = function("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EVENTFD = function("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = function("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SETSOCKOPT =
            function("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT =
            function("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETSOCKNAME =
            function("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SENDTO =
            function("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = function("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDMMSG =
            function("sendmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle RECVMMSG =
            function("recvmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle IF_NAMETOINDEX = function("if_nametoindex", JAVA_INT, ADDRESS);
    private static final MethodHandle SETNS = function("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = function("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL =
            function("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT =
            function("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

    private Libc() {
    }

    static int open(MemorySegment path, int flags) {
        MemorySegment state = callState();
        try {
            return result((int) OPEN.invokeExact(state, path, flags, 0), state);
        } catch (Throwable t) {
            throw failed("open", t);
        }
    }

    static int mknod(MemorySegment path, int mode, long device) {
        MemorySegment state = callState();
        try {
            return result((int) MKNOD.invokeExact(state, path, mode, device), state);
        } catch (Throwable t) {
            throw failed("mknod", t);
        }
    }

    static int close(int fd) {
        MemorySegment state = callState();
        try {
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw failed("close", t);
        }
    }

    static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment state = callState();
        try {
            long n = buffer.isNative()
                    ? (long) READ.invokeExact(state, fd, buffer, length)
                    : (long) READ_HEAP.invokeExact(state, fd, buffer, length);
            return result(n, state);
        } catch (Throwable t) {
            throw failed("read", t);
        }
    }

    static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment state = callState();
        try {
            long n = buffer.isNative()
                    ? (long) WRITE.invokeExact(state, fd, buffer, length)
                    : (long) WRITE_HEAP.invokeExact(state, fd, buffer, length);
            return result(n, state);
        } catch (Throwable t) {
            throw failed("write", t);
        }
    }

    static long readv(int fd, MemorySegment iovecs, int count) {
        MemorySegment state = callState();
        try {
            return result((long) READV.invokeExact(state, fd, iovecs, count), state);
        } catch (Throwable t) {
            throw failed("readv", t);
        }
    }

    static long writev(int fd, MemorySegment iovecs, int count) {
        MemorySegment state = callState();
        try {
            return result((long) WRITEV.invokeExact(state, fd, iovecs, count), state);
        } catch (Throwable t) {
            throw failed("writev", t);
        }
    }

    static int ioctl(int fd, long request, MemorySegment argument) {
        MemorySegment state = callState();
        try {
            return result((int) IOCTL_POINTER.invokeExact(state, fd, request, argument), state);
        } catch (Throwable t) {
            throw failed("ioctl", t);
        }
    }

    static int ioctl(int fd, long request, long argument) {
        MemorySegment state = callState();
        try {
            return result((int) IOCTL_VALUE.invokeExact(state, fd, request, argument), state);
        } catch (Throwable t) {
            throw failed("ioctl", t);
        }
    }

    static int poll(MemorySegment pollFds, int count, int timeoutMillis) {
        MemorySegment state = callState();
        try {
            return result((int) POLL.invokeExact(state, pollFds, (long) count, timeoutMillis), state);
        } catch (Throwable t) {
            throw failed("poll", t);
        }
    }

    static int eventfd(int initialValue, int flags) {
        MemorySegment state = callState();
        try {
            return result((int) EVENTFD.invokeExact(state, initialValue, flags), state);
        } catch (Throwable t) {
            throw failed("eventfd", t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        MemorySegment state = callState();
        try {
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw failed("socket", t);
        }
    }

    static int bind(int fd, MemorySegment address, int length) {
        MemorySegment state = callState();
        try {
            return result((int) BIND.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw failed("bind", t);
        }
    }

    static int setsockopt(int fd, int level, int option, MemorySegment value, int length) {
        MemorySegment state = callState();
        try {
            return result((int) SETSOCKOPT.invokeExact(state, fd, level, option, value, length), state);
        } catch (Throwable t) {
            throw failed("setsockopt", t);
        }
    }

    static int getsockopt(int fd, int level, int option, MemorySegment value, MemorySegment length) {
        MemorySegment state = callState();
        try {
            return result((int) GETSOCKOPT.invokeExact(state, fd, level, option, value, length), state);
        } catch (Throwable t) {
            throw failed("getsockopt", t);
        }
    }

    static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment state = callState();
        try {
            return result((int) GETSOCKNAME.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw failed("getsockname", t);
        }
    }

    static long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address,
            int addressLength) {
        MemorySegment state = callState();
        try {
            return result((long) SENDTO.invokeExact(state, fd, buffer, length, flags, address, addressLength),
                    state);
        } catch (Throwable t) {
            throw failed("sendto", t);
        }
    }

    static long recv(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment state = callState();
        try {
            return result((long) RECV.invokeExact(state, fd, buffer, length, flags), state);
        } catch (Throwable t) {
            throw failed("recv", t);
        }
    }

    static int sendmmsg(int fd, MemorySegment messages, int count, int flags) {
        MemorySegment state = callState();
        try {
            return result((int) SENDMMSG.invokeExact(state, fd, messages, count, flags), state);
        } catch (Throwable t) {
            throw failed("sendmmsg", t);
        }
    }

    static int recvmmsg(int fd, MemorySegment messages, int count, int flags) {
        MemorySegment state = callState();
        try {
            return result((int) RECVMMSG.invokeExact(state, fd, messages, count, flags, MemorySegment.NULL),
                    state);
        } catch (Throwable t) {
            throw failed("recvmmsg", t);
        }
    }

    /** The interface's index, or {@code -errno} (ENODEV when there is no such interface). */
    static int ifNameToIndex(MemorySegment name) {
        MemorySegment state = callState();
        try {
            int index = (int) IF_NAMETOINDEX.invokeExact(state, name);
            return index == 0 ? -errno(state) : index;
        } catch (Throwable t) {
            throw failed("if_nametoindex", t);
        }
    }

    static int setns(int fd, int namespaceType) {
        MemorySegment state = callState();
        try {
            return result((int) SETNS.invokeExact(state, fd, namespaceType), state);
        } catch (Throwable t) {
            throw failed("setns", t);
        }
    }

    static int epollCreate1(int flags) {
        MemorySegment state = callState();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw failed("epoll_create1", t);
        }
    }

    static int epollCtl(int epollFd, int operation, int fd, MemorySegment event) {
        MemorySegment state = callState();
        try {
            return result((int) EPOLL_CTL.invokeExact(state, epollFd, operation, fd, event), state);
        } catch (Throwable t) {
            throw failed("epoll_ctl", t);
        }
    }

    static int epollWait(int epollFd, MemorySegment events, int capacity, int timeoutMillis) {
        MemorySegment state = callState();
        try {
            return result((int) EPOLL_WAIT.invokeExact(state, epollFd, events, capacity, timeoutMillis), state);
        } catch (Throwable t) {
            throw failed("epoll_wait", t);
        }
    }

    /** Throws an {@link ErrnoException} for a negative result, else returns it. */
    static long check(long result, String operation) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation, (int) -result);
        }
        return result;
    }

    static int check(int result, String operation) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation, -result);
        }
        return result;
    }

    private static MemorySegment callState() {
        return THREAD_CALL_STATE.get();
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int result(int returned, MemorySegment state) {
        return returned == -1 ? -errno(state) : returned;
    }

    private static long result(long returned, MemorySegment state) {
        return returned == -1 ? -errno(state) : returned;
    }

    private static IllegalStateException failed(String function, Throwable cause) {
        return new IllegalStateException("the downcall to " + function + " failed", cause);
    }

    private static MethodHandle function(String name, MemoryLayout result, MemoryLayout... arguments) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle critical(String name, MemoryLayout result, MemoryLayout... arguments) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments),
                Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
    }

    private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout result,
            MemoryLayout... arguments) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
    }
}
