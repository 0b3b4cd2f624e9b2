package dev.zonewire.cli.wg;

import dev.zonewire.cli.Main;
import dev.zonewire.cli.logging.Logging;
import dev.zonewire.wireguard.linux.ConfigFileException;
import dev.zonewire.wireguard.linux.DeviceOptions;
import dev.zonewire.wireguard.linux.WgQuick;
import dev.zonewire.wireguard.linux.WgQuickConfig;
import dev.zonewire.wireguard.linux.WgQuickInterface;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zonewire wg up}: brings up an interface from a wg-quick file. Like wireguard-go it detaches
 * by default: it starts itself again as a background process in a session of its own, shows that
 * process's stderr while it starts (so that its errors appear here), and returns once the
 * interface answers on its UAPI socket; the background process then stops writing to stderr and
 * logs only to {@code --log-dir}. {@code -f} keeps it in the foreground, for systemd and containers.
 */
@Command(
        name = "up",
        description = "Bring up a userspace WireGuard interface from a wg-quick configuration file: keys, port, "
                + "peers, MTU, addresses and a route per allowed IP. It runs until `zonewire wg down`, deletion of "
                + "the interface, removal of its UAPI socket, or SIGTERM/SIGINT.")
public final class WgUpCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WgUpCommand.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String DETACHED_VARIABLE = "ZONEWIRE_WG_DETACHED";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG",
            description = "A configuration file named <interface>.conf, or an interface name for /etc/wireguard/<name>.conf.")
    String target;

    @Option(names = {"-f", "--foreground"},
            description = "Stay in the foreground, logging to stderr, instead of detaching once the interface is up.")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        WgQuick.Target resolved = WgCommand.target(spec, target);
        boolean detached = "true".equals(System.getenv(DETACHED_VARIABLE));
        if (!detached) {
            warnIfWorldAccessible(resolved.configFile());
        }
        WgQuickConfig config = read(resolved.configFile());
        if (!foreground && !detached) {
            // Checked here too: the answering socket is how this process learns that its child is up.
            if (WgQuick.isRunning(resolved.interfaceName(), DeviceOptions.DEFAULT_SOCKET_DIRECTORY)) {
                throw new IOException("interface " + resolved.interfaceName() + " is already running: "
                        + DeviceOptions.DEFAULT_SOCKET_DIRECTORY.resolve(resolved.interfaceName() + ".sock") + " answers");
            }
            return detach(resolved.interfaceName());
        }
        WgQuickInterface running = WgQuick.up(config, resolved.interfaceName(), null,
                DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "wg-up-shutdown"));
        log.info("Interface {} is up", resolved.interfaceName());
        if (detached) {
            Logging.stopStderr();
        }
        String reason = running.awaitStop();
        running.close();
        log.info("Interface {} is down: {}", resolved.interfaceName(), reason);
        return 0;
    }

    private static WgQuickConfig read(Path file) throws IOException {
        try {
            return WgQuickConfig.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no configuration file " + file);
        } catch (ConfigFileException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** As wg-quick does: other users can read the private key when both the file and its directory let them in. */
    private void warnIfWorldAccessible(Path file) {
        try {
            int others = otherUsersBits(file) & otherUsersBits(file.toAbsolutePath().getParent());
            if (others != 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("zonewire wg up: warning: " + file + " is accessible to other users, and it holds a private key (chmod 600 it)");
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no such file (read() names it) or no POSIX permissions: nothing to warn about
        }
    }

    private static int otherUsersBits(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return (permissions.contains(PosixFilePermission.OTHERS_READ) ? 4 : 0)
                | (permissions.contains(PosixFilePermission.OTHERS_WRITE) ? 2 : 0)
                | (permissions.contains(PosixFilePermission.OTHERS_EXECUTE) ? 1 : 0);
    }

    /**
     * Starts this command again as a background process (in a session of its own, so that closing
     * the terminal does not stop it), relays its stderr, and returns when its interface answers
     * on the UAPI socket, or with its exit code if it fails first.
     */
    private int detach(String interfaceName) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString());
        }
        // Rebuilt from the JVM's own view rather than /proc/self/cmdline, which the JDK does not
        // return once it is long (a class path of many jars).
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(spec.root().commandLine().getParseResult().originalArgs());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(DETACHED_VARIABLE, "true");
        Process child = builder.start();
        PrintWriter err = spec.commandLine().getErr();
        Thread relay = Thread.ofPlatform().daemon().start(() -> relay(child.getErrorStream(), err));
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                relay.join(1000);
                return child.exitValue() == 0 ? 1 : child.exitValue();
            }
            if (WgQuick.isRunning(interfaceName, DeviceOptions.DEFAULT_SOCKET_DIRECTORY)) {
                err.println("zonewire wg up: interface " + interfaceName + " is up (process " + child.pid() + ")");
                err.flush();
                return 0;
            }
            Thread.sleep(100);
        }
        child.destroy();
        throw new IOException("interface " + interfaceName + " did not come up within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    private static void relay(InputStream from, PrintWriter to) {
        try (Reader in = new InputStreamReader(from, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                to.write(buffer, 0, read);
                to.flush();
            }
        } catch (IOException e) {
            // the child went away, or we are exiting
        }
    }
}
