package dev.zonewire.platform.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh network namespace for one test, named {@code zw-plt-<random>}, with loopback up. It
 * runs commands inside itself and deletes itself, and kills the processes it started (by their
 * own handles), on close. Needs root, as CI has.
 */
final class TestNamespace implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Process> processes = new ArrayList<>();

    private TestNamespace(String name) {
        this.name = name;
    }

    static TestNamespace create() throws IOException {
        String name = "zw-plt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Result added = exec(List.of("ip", "netns", "add", name));
        if (added.exitCode() != 0) {
            throw new IllegalStateException("`ip netns add " + name + "` failed (these tests need root and "
                    + "iproute2): " + added.output());
        }
        TestNamespace namespace = new TestNamespace(name);
        namespace.run("ip", "link", "set", "lo", "up");
        return namespace;
    }

    String name() {
        return name;
    }

    <T> T call(NetworkNamespace.Task<T> task) throws IOException {
        return NetworkNamespace.call(name, task);
    }

    /** Runs a command inside the namespace and returns its output; fails the test if it fails. */
    String run(String... command) throws IOException {
        Result result = tryRun(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + name + " exited with "
                    + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    Result tryRun(String... command) throws IOException {
        return exec(inside(command));
    }

    JsonNode json(String... command) throws IOException {
        return JSON.readTree(run(command));
    }

    /**
     * Waits until the kernel delivers packets to {@code address}: an IPv6 address gets its local
     * route from the kernel's address worker, a moment after the link is up (longer on a busy
     * machine), and packets to it are dropped until then. IPv4 addresses are ready at once.
     */
    void awaitAddressReady(String address) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (run("ip", "-6", "route", "show", "table", "local", address).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no local route for " + address + " in " + name + " after 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + address, e);
            }
        }
    }

    /** Starts a command inside the namespace in the background; it is killed on close. */
    Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    @Override
    public void close() throws IOException {
        for (Process process : processes) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exec(List.of("ip", "netns", "del", name));
    }

    private List<String> inside(String... command) {
        return Stream.concat(Stream.of("ip", "netns", "exec", name), Stream.of(command)).toList();
    }

    private static Result exec(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    record Result(int exitCode, String output) {
    }
}
