package dev.zonewire.platform.linux;

import java.io.IOException;

/**
 * A system call or a kernel request failed. The message names the operation, the error text and
 * the symbolic errno, e.g. {@code "TUNSETIFF zw0: Operation not permitted (EPERM)"}, followed by
 * the kernel's own explanation when netlink gave one.
 */
public final class ErrnoException extends IOException {
    private final String operation;
    private final int errno;
    private final String kernelMessage;

    public ErrnoException(String operation, int errno) {
        this(operation, errno, null);
    }

    public ErrnoException(String operation, int errno, String kernelMessage) {
        super(message(operation, errno, kernelMessage));
        this.operation = operation;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    /** What was being done, e.g. {@code "bind 127.0.0.1:9"}. */
    public String operation() {
        return operation;
    }

    /** The positive errno value; compare with the constants in {@link Errno}. */
    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code "EEXIST"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The extended-ack text netlink attached to the error, or null. */
    public String kernelMessage() {
        return kernelMessage;
    }

    private static String message(String operation, int errno, String kernelMessage) {
        String text = operation + ": " + Errno.description(errno) + " (" + Errno.name(errno) + ")";
        return kernelMessage == null || kernelMessage.isEmpty() ? text : text + ": " + kernelMessage;
    }
}
