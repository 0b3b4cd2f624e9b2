package dev.zonewire.relay.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A tool from a Debian package, run for a test and always stopped by its own pid afterwards. */
public final class ExternalProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ExternalProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the command with stdout and stderr going to a file; fails clearly if the tool is missing. */
    public static ExternalProcess start(List<String> command) throws IOException {
        requireTool(command.getFirst());
        Path output = Files.createTempFile("zw-rly-" + Path.of(command.getFirst()).getFileName(), ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ExternalProcess(process, output);
    }

    /** Runs the command to its end (or the timeout) and returns what it printed. */
    public static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        try (ExternalProcess process = start(command)) {
            if (!process.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.process.destroy();
                process.process.waitFor(3, TimeUnit.SECONDS);
            }
            return process.output();
        }
    }

    public static void requireTool(String tool) {
        boolean found = Files.isExecutable(Path.of(tool)) || Files.isExecutable(Path.of("/usr/bin", tool));
        assertThat(found).as("%s is needed for this test; install the Debian package (coturn or stun-client)", tool).isTrue();
    }

    /** A UDP port that was free a moment ago. */
    public static int freeUdpPort(InetAddress address) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return socket.getLocalPort();
        }
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** Waits until the output contains the text. */
    public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '%s' in:%n%s", text, output()).isLessThan(deadline);
            assertThat(process.isAlive()).as("process ended early:%n%s", output()).isTrue();
            Thread.sleep(50);
        }
    }

    /** Stops the process and deletes its log. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(output);
    }
}
