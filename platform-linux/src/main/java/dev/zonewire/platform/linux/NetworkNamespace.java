package dev.zonewire.platform.linux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}), so that the TUN devices,
 * sockets and netlink connections it opens belong to that namespace. They keep working from any
 * thread afterwards: a descriptor stays in the namespace it was created in.
 *
 * <p>The code runs on a fresh platform thread that joins the namespace with {@code setns} and
 * ends with it; no other thread of the JVM changes namespace.
 */
public final class NetworkNamespace {
    private static final Path NAMED_NAMESPACES = Path.of("/var/run/netns");
    private static final int CLONE_NEWNET = 0x40000000;

    /** Code to run inside a namespace. */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws IOException;
    }

    private NetworkNamespace() {
    }

    /**
     * Runs {@code task} inside the namespace {@code name} and returns its result, or throws what
     * it threw.
     *
     * @throws ErrnoException when the namespace cannot be entered, e.g. {@code "open network
     *     namespace /var/run/netns/x: No such file or directory (ENOENT)"}
     */
    public static <T> T call(String name, Task<T> task) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: \"" + name + "\"");
        }
        Path path = NAMED_NAMESPACES.resolve(name);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).start(() -> {
            try {
                enter(path);
                result.set(task.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running in network namespace " + name);
        }
        return switch (failure.get()) {
            case null -> result.get();
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable t -> throw new IOException(t);
        };
    }

    private static void enter(Path path) throws ErrnoException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Libc.check(Libc.open(arena.allocateFrom(path.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC),
                    "open network namespace " + path);
        }
        try {
            Libc.check(Libc.setns(fd, CLONE_NEWNET), "enter network namespace " + path + " (setns)");
        } finally {
            Libc.close(fd);
        }
    }
}
