package dev.zonewire.wireguard.linux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UAPI socket {@code /var/run/wireguard/<interface>.sock}, where wg(8) finds a userspace
 * interface: a Unix stream socket only root can use (mode 0700, as wireguard-go's), served one
 * thread per client. A socket file left by a process that died is replaced; one that answers
 * means the interface runs already. Removing the file is the signal to stop, as for wireguard-go.
 * A client that pauses in the middle of a set, holding up everyone else's, is hung up on.
 */
final class UapiServer implements AutoCloseable {
    /** Clients served at once; more are hung up on, so that a local flood cannot pile up threads. */
    static final int MAX_CLIENTS = 16;

    /** How long a client may pause in the middle of a set (wg(8) sends a whole request at once). */
    static final long SET_STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Logger log = LoggerFactory.getLogger(UapiServer.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final UapiConnection.Device device;
    private final ReadWriteLock operations = new ReentrantReadWriteLock();
    private final Map<SocketChannel, UapiConnection> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private UapiServer(Path path, ServerSocketChannel server, Object fileKey, UapiConnection.Device device) {
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
        this.device = device;
    }

    /** The socket path of an interface. */
    static Path socketPath(Path directory, String interfaceName) {
        return directory.resolve(interfaceName + ".sock");
    }

    /** Fails if a live process answers on the interface's socket already. */
    static void checkNotRunning(Path directory, String interfaceName) throws IOException {
        Path path = socketPath(directory, interfaceName);
        if (answers(path)) {
            throw new IOException("interface " + interfaceName + " is already running: " + path + " answers");
        }
    }

    /**
     * Listens on {@code <directory>/<interfaceName>.sock}. The socket is bound in a private
     * directory, restricted to its owner and then moved into place, so that nobody else can
     * connect in between.
     */
    static UapiServer start(Path directory, String interfaceName, UapiConnection.Device device) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path path = socketPath(directory, interfaceName);
        checkNotRunning(directory, interfaceName);
        Files.deleteIfExists(path);
        Path staging = Files.createTempDirectory(directory, "." + interfaceName + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("uapi.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rwx------"));
            try {
                Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move the UAPI socket into " + directory, e);
            }
            Object fileKey = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            UapiServer uapi = new UapiServer(path, server, fileKey, device);
            Thread.ofPlatform().name(interfaceName + "-uapi").daemon().start(uapi::acceptClients);
            return uapi;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(staged);
            Files.deleteIfExists(staging);
        }
    }

    Path path() {
        return path;
    }

    /** Whether our socket file is still in place (it is gone, or another file took its name, when asked to stop). */
    boolean socketExists() {
        try {
            return Objects.equals(fileKey, Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting clients and removes the socket file if it is still ours; connected clients stay. */
    void stopListening() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("Closing the UAPI socket failed", e);
        }
        if (socketExists()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("Could not remove {}: {}", path, e.getMessage());
            }
        }
    }

    /**
     * Stops listening and hangs up on every client: the last step of stopping, which tells a
     * waiting {@code zonewire wg down} that the interface is gone.
     */
    @Override
    public void close() {
        stopListening();
        for (SocketChannel client : clients.keySet()) {
            closeQuietly(client);
        }
    }

    /**
     * Hangs up on every client that has paused for longer than {@link #SET_STALL_LIMIT_NANOS} in
     * the middle of a set: it holds back every other client's get and set. What its lines set so
     * far stays, as if it had hung up. The device calls this every second.
     */
    void closeStalledClients(long now) {
        clients.forEach((client, connection) -> {
            if (connection.stalledInSetSince(now - SET_STALL_LIMIT_NANOS)) {
                log.warn("A UAPI client on {} paused for more than {} s in the middle of a set; hanging up", path,
                        TimeUnit.NANOSECONDS.toSeconds(SET_STALL_LIMIT_NANOS));
                closeQuietly(client);
            }
        });
    }

    private void acceptClients() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // E.g. EMFILE, which repeats at once: pause rather than spin and flood the log.
                log.warn("Accepting on {} failed: {}", path, e.getMessage());
                LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
                continue;
            }
            if (clients.size() >= MAX_CLIENTS || closed) {
                closeQuietly(client);
                continue;
            }
            UapiConnection connection = new UapiConnection(Channels.newInputStream(client),
                    Channels.newOutputStream(client), device, operations);
            clients.put(client, connection);
            // A platform thread: a set may send a handshake, an FFM call that must not pin a virtual thread's carrier.
            Thread.ofPlatform().name(path.getFileName() + "-client").daemon().start(() -> serve(client, connection));
        }
    }

    private void serve(SocketChannel client, UapiConnection connection) {
        try (client) {
            connection.serve();
        } catch (IOException e) {
            log.debug("UAPI client on {} ended: {}", path, e.getMessage());
        } catch (RuntimeException e) {
            log.error("UAPI request on {} failed", path, e);
        } finally {
            clients.remove(client);
        }
    }

    static boolean answers(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a UAPI client failed", e);
        }
    }
}
