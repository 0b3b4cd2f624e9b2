package dev.zonewire.platform.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Linux errno values this module's callers may want to match, and their names and texts from libc. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EPROTO = 71;
    public static final int EBADFD = 77;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;

    private static final ConcurrentMap<Integer, String> NAMES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Integer, String> DESCRIPTIONS = new ConcurrentHashMap<>();
    private static final MethodHandle STRERROR = lookup("strerror").orElseThrow();
    // glibc 2.32 and later; older C libraries get "errno N" as the name.
    private static final Optional<MethodHandle> STRERRORNAME_NP = lookup("strerrorname_np");

    private Errno() {
    }

    /** The symbolic name of {@code errno}, e.g. {@code "ENOENT"}, or {@code "errno N"} when unknown. */
    public static String name(int errno) {
        return NAMES.computeIfAbsent(errno, e -> STRERRORNAME_NP.map(h -> call(h, e)).orElse(null) instanceof String s
                ? s : "errno " + e);
    }

    /** The C library's text for {@code errno}, e.g. {@code "No such file or directory"}. */
    public static String description(int errno) {
        return DESCRIPTIONS.computeIfAbsent(errno, e -> {
            String text = call(STRERROR, e);
            return text == null ? "errno " + e : text;
        });
    }

    private static String call(MethodHandle function, int errno) {
        try {
            MemorySegment text = (MemorySegment) function.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? null : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("calling the C library's error text function failed", t);
        }
    }

    private static Optional<MethodHandle> lookup(String function) {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find(function).map(address -> linker.downcallHandle(address,
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)));
    }
}
