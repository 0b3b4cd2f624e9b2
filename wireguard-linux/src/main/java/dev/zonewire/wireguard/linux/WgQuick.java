package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.Rtnetlink;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * What wg-quick(8) does, for an interface of our own: bring it up from a configuration file
 * (device, peers, MTU, addresses, link up, a route per allowed IP, policy routing for a default
 * route) and take it down again.
 */
public final class WgQuick {
    /** Where {@code up NAME} looks for {@code NAME.conf}, as wg-quick does. */
    public static final Path CONFIG_DIRECTORY = Path.of("/etc/wireguard");

    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

    private WgQuick() {
    }

    /**
     * An interface named on the command line: either a name, whose file is
     * {@code /etc/wireguard/NAME.conf}, or a file path, whose name (less {@code .conf}) names the
     * interface, as wg-quick reads its argument.
     */
    public record Target(String interfaceName, Path configFile) {
        public static Target of(String argument) {
            if (INTERFACE_NAME.matcher(argument).matches()) {
                return new Target(argument, CONFIG_DIRECTORY.resolve(argument + ".conf"));
            }
            Path file = Path.of(argument);
            String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
            String name = fileName.endsWith(".conf") ? fileName.substring(0, fileName.length() - 5) : "";
            if (!INTERFACE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("\"" + argument + "\" is neither an interface name nor a file named "
                        + "after one: the file name must be an interface name (1 to 15 of a-z A-Z 0-9 _ = + . -) "
                        + "followed by .conf");
            }
            return new Target(name, file);
        }
    }

    /**
     * Starts interface {@code name} as {@code config} describes and configures it.
     *
     * @param namespace the named network namespace to create it in, or null for the current one
     * @throws IOException naming the step that failed; whatever was set up is undone
     */
    public static WgQuickInterface up(WgQuickConfig config, String name, String namespace, Path socketDirectory)
            throws IOException {
        DeviceOptions options = DeviceOptions.of(name, config.privateKey())
                .withListenPort(config.listenPort() == null ? 0 : config.listenPort())
                .withFirewallMark(config.firewallMark() == null ? 0 : config.firewallMark())
                .withMtu(config.mtu() == null ? DeviceOptions.DEFAULT_MTU : config.mtu())
                .inNamespace(namespace)
                .withSocketDirectory(socketDirectory);
        WireGuardDevice device = WireGuardDevice.start(options);
        try (Rtnetlink netlink = namespace == null ? Rtnetlink.open() : NetworkNamespace.call(namespace, Rtnetlink::open)) {
            device.configure(config.deviceConfig());
            int index = device.interfaceIndex();
            netlink.setMtu(index, options.mtu());
            for (IpPrefix address : config.addresses()) {
                netlink.addAddress(index, address);
            }
            netlink.setUp(index, true);
            InterfaceRoutes routes = InterfaceRoutes.add(netlink, device, config, namespace);
            return new WgQuickInterface(device, routes, namespace);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Whether a process (ours or wireguard-go) answers on the UAPI socket of interface {@code name}. */
    public static boolean isRunning(String name, Path socketDirectory) {
        return UapiServer.answers(UapiServer.socketPath(socketDirectory, name));
    }

    /**
     * Stops the userspace interface {@code name} (ours or wireguard-go's) by removing its UAPI
     * socket, the signal both watch for, and waits until the process has let go of it.
     *
     * @throws IOException when no process answers on the socket, or it did not stop in time
     */
    public static void down(String name, Path socketDirectory, Duration timeout) throws IOException {
        Path socket = UapiServer.socketPath(socketDirectory, name);
        SocketChannel watch;
        try {
            watch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("interface " + name + " is not running: nothing answers on " + socket);
        }
        try (watch) {
            Files.deleteIfExists(socket);
            // The process hangs up on every UAPI client when it is done, or its exit does.
            InputStream hangUp = Channels.newInputStream(watch);
            CompletableFuture<Integer> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    return hangUp.read();
                } catch (IOException e) {
                    return -1;
                }
            });
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("interface " + name + " did not stop within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("waiting for interface " + name + " to stop failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for interface " + name + " to stop");
        }
    }
}
