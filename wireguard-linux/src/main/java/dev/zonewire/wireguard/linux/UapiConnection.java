package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.Errno;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Function;

/**
 * One client of the UAPI socket, served as wireguard-go's IpcHandle does: operations one after
 * another on the same connection, each {@code get=1\n\n} answered with the configuration and each
 * {@code set=1\n} followed by {@code key=value} lines up to a blank line; both end with
 * {@code errno=N\n\n}. An unknown operation closes the connection. A line longer than 64 KiB
 * fails the request with EIO.
 */
final class UapiConnection {
    /** The longest line read, as Go's bufio.Scanner allows. */
    static final int MAX_LINE = 64 * 1024;

    private static final long NOT_WAITING = Long.MIN_VALUE;

    /** The device behind the socket: runs an action on its state under its lock, then sends what the tunnel queued. */
    interface Device {
        <T> T locked(Function<DeviceState, T> action);
    }

    private final LineReader in;
    private final OutputStream out;
    private final Device device;
    private final ReadWriteLock operations;
    private volatile long setWaitingSince = NOT_WAITING;

    /**
     * @param operations held for reading by a get and for writing by a set, so that a get never
     *     sees half of a set, as wireguard-go's ipcMutex
     */
    UapiConnection(InputStream in, OutputStream out, Device device, ReadWriteLock operations) {
        this.in = new LineReader(in);
        this.out = out;
        this.device = device;
        this.operations = operations;
    }

    /** Serves operations until the client hangs up or sends an unknown one. */
    void serve() throws IOException {
        while (true) {
            String operation;
            try {
                operation = in.readOperation();
            } catch (LineTooLongException e) {
                return;
            }
            if (operation == null) {
                return;
            }
            int errno;
            if (operation.equals("set=1")) {
                errno = set();
            } else if (operation.equals("get=1")) {
                errno = get();
            } else {
                return;
            }
            out.write(("errno=" + errno + "\n\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private int get() throws IOException {
        int next = in.read();
        if (next < 0) {
            throw new IOException("the client hung up in a get");
        }
        if (next != '\n') {
            return -Errno.EINVAL;
        }
        operations.readLock().lock();
        String configuration;
        try {
            configuration = device.locked(Uapi::get);
        } finally {
            operations.readLock().unlock();
        }
        out.write(configuration.getBytes(StandardCharsets.US_ASCII));
        return 0;
    }

    /** Applies lines as they arrive, each under the device lock, until the blank line, the end or an error. */
    private int set() throws IOException {
        operations.writeLock().lock();
        try {
            Uapi.SetOperation operation = device.locked(Uapi.SetOperation::new);
            try {
                return applyLines(operation);
            } finally {
                device.locked(state -> {
                    operation.finish(System.nanoTime());
                    return null;
                });
            }
        } finally {
            operations.writeLock().unlock();
        }
    }

    /**
     * Whether this client has been in the middle of a set, holding every other client's operations
     * back, without sending its next line since before {@code cutoff} (a {@link System#nanoTime()}).
     */
    boolean stalledInSetSince(long cutoff) {
        long since = setWaitingSince;
        return since != NOT_WAITING && since - cutoff < 0;
    }

    private int applyLines(Uapi.SetOperation operation) throws IOException {
        while (true) {
            String line;
            setWaitingSince = System.nanoTime();
            try {
                line = in.readLine();
            } catch (LineTooLongException e) {
                return -Errno.EIO;
            } finally {
                setWaitingSince = NOT_WAITING;
            }
            if (line == null || line.isEmpty()) {
                return 0;
            }
            String request = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            int errno = device.locked(state -> operation.apply(request, System.nanoTime()));
            if (errno != 0) {
                return errno;
            }
        }
    }

    static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("a UAPI line is longer than " + MAX_LINE + " bytes");
        }
    }

    /** Lines of bytes up to {@code \n}, at most {@link #MAX_LINE} long; the protocol is ASCII. */
    private static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

        LineReader(InputStream in) {
            this.in = new BufferedInputStream(in);
        }

        int read() throws IOException {
            return in.read();
        }

        /** The next line without its newline; null at the end of the stream (a last line without newline counts). */
        String readLine() throws IOException {
            return readLine(true);
        }

        /** An operation line, which must end with a newline; null at the end of the stream. */
        String readOperation() throws IOException {
            return readLine(false);
        }

        private String readLine(boolean unterminatedLineCounts) throws IOException {
            line.reset();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 || !unterminatedLineCounts ? null : text();
                }
                if (b == '\n') {
                    return text();
                }
                if (line.size() == MAX_LINE) {
                    throw new LineTooLongException();
                }
                line.write(b);
            }
        }

        private String text() {
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
