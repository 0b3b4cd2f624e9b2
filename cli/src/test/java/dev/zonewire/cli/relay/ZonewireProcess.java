package dev.zonewire.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/zonewire.jar ...} as a child process, its stdout and stderr in files,
 * signalled and always stopped by its own pid.
 */
final class ZonewireProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "zonewire.jar");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ZonewireProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ZonewireProcess start(Map<String, String> environment, String... args) throws IOException {
        assertThat(JAR).as("the process tests run the packaged jar: ./mvnw -pl cli -am verify").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("zw-rly-zonewire", ".out");
        Path stderr = Files.createTempFile("zw-rly-zonewire", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new ZonewireProcess(builder.start(), stdout, stderr);
    }

    /** Runs a command to its end and returns what it printed on stdout; fails on a non-zero exit. */
    static String run(String... args) throws Exception {
        try (ZonewireProcess process = start(Map.of(), args)) {
            assertThat(process.waitForExit(Duration.ofSeconds(30))).as(process.stderr()).isZero();
            return process.stdout();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM or SIGINT ({@code "TERM"}, {@code "INT"}) with kill(1). */
    void signal(String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** The exit code, or -1 if the process is still running after {@code timeout}. */
    int waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a line of stderr (where the logs go) matching {@code regex}; returns the first group. */
    String awaitLog(String regex, Duration timeout) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(stderr());
            if (matcher.find()) {
                return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
            }
            assertThat(process.isAlive()).as("zonewire ended early:%n%s", stderr()).isTrue();
            assertThat(System.nanoTime()).as("waiting for /%s/ in:%n%s", regex, stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
