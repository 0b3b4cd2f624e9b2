package dev.zonewire.wireguard.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two fresh network namespaces, {@code zw-wgu-<id>-l} and {@code zw-wgu-<id>-r}, joined by a veth
 * pair with {@link #LEFT_UNDERLAY} and {@link #RIGHT_UNDERLAY} (and IPv6 {@code fd77::1} and
 * {@code fd77::2}): the "internet" between two
 * WireGuard peers. Interface names made with {@link #interfaceName} are unique across the host,
 * as UAPI socket paths must be. Closing kills the processes it started and deletes both
 * namespaces with everything in them. Needs root and iproute2.
 */
final class TestNetwork implements AutoCloseable {
    static final String LEFT_UNDERLAY = "192.168.77.1";
    static final String RIGHT_UNDERLAY = "192.168.77.2";
    static final String LEFT_UNDERLAY_IPV6 = "fd77::1";
    static final String RIGHT_UNDERLAY_IPV6 = "fd77::2";

    final String id;
    final String left;
    final String right;
    private final List<Process> processes = new ArrayList<>();

    private TestNetwork(String id) {
        this.id = id;
        this.left = "zw-wgu-" + id + "-l";
        this.right = "zw-wgu-" + id + "-r";
    }

    static TestNetwork create() throws IOException {
        TestNetwork network = new TestNetwork(HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        try {
            network.setUp();
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** A host-wide unique interface name ending in {@code tag}, 15 bytes at most. */
    String interfaceName(String tag) {
        return "zw-wgu-" + id + tag;
    }

    /** Runs a command in a namespace and returns its output; throws if it fails. */
    String run(String namespace, String... command) throws IOException {
        return exec(inside(namespace, command), true);
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in a namespace and returns its exit code and output, whatever they are. */
    Result tryRun(String namespace, String... command) throws IOException {
        Process process = new ProcessBuilder(inside(namespace, command)).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + List.of(command), e);
        }
    }

    /** Runs a command in a namespace and returns its exit code. */
    int exitCode(String namespace, String... command) throws IOException {
        Process process = new ProcessBuilder(inside(namespace, command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + List.of(command), e);
        }
    }

    /**
     * Waits until the kernel in {@code namespace} delivers packets to the IPv6 {@code address}: its
     * local route appears a moment after the link is up (longer on a busy machine).
     */
    void awaitIpv6Address(String namespace, String address) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (run(namespace, "ip", "-6", "route", "show", "table", "local", address).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no local route for " + address + " in " + namespace + " after 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** Starts a command in a namespace in the background; it is killed on close. */
    Process start(String namespace, String... command) throws IOException {
        Process process = new ProcessBuilder(inside(namespace, command)).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    /** Starts a command; its output goes to the test's output. */
    Process startLogged(ProcessBuilder builder) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(process);
        return process;
    }

    @Override
    public void close() throws IOException {
        for (Process process : processes.reversed()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exec(List.of("ip", "netns", "del", left), false);
        exec(List.of("ip", "netns", "del", right), false);
    }

    private void setUp() throws IOException {
        String leftVeth = interfaceName("vl");
        String rightVeth = interfaceName("vr");
        exec(List.of("ip", "netns", "add", left), true);
        exec(List.of("ip", "netns", "add", right), true);
        exec(List.of("ip", "link", "add", leftVeth, "netns", left, "type", "veth", "peer", "name", rightVeth,
                "netns", right), true);
        run(left, "ip", "addr", "add", LEFT_UNDERLAY + "/24", "dev", leftVeth);
        run(right, "ip", "addr", "add", RIGHT_UNDERLAY + "/24", "dev", rightVeth);
        run(left, "ip", "addr", "add", LEFT_UNDERLAY_IPV6 + "/64", "dev", leftVeth, "nodad");
        run(right, "ip", "addr", "add", RIGHT_UNDERLAY_IPV6 + "/64", "dev", rightVeth, "nodad");
        for (String[] end : new String[][] {{left, leftVeth}, {right, rightVeth}}) {
            run(end[0], "ip", "link", "set", end[1], "up");
            run(end[0], "ip", "link", "set", "lo", "up");
        }
    }

    private static List<String> inside(String namespace, String... command) {
        return Stream.concat(Stream.of("ip", "netns", "exec", namespace), Stream.of(command)).toList();
    }

    private static String exec(List<String> command, boolean mustSucceed) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (mustSucceed && exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ": " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }
}
