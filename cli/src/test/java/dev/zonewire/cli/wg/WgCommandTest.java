package dev.zonewire.cli.wg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.cli.ZonewireCommand;
import dev.zonewire.wireguard.PrivateKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code zonewire wg up} and {@code down} as a user runs them: {@code up} detaches into a background
 * process that wg(8) can talk to, {@code down} stops it, and mistakes are named. The commands run
 * as separate JVMs inside a fresh network namespace {@code zw-wgu-<id>}. Needs root, iproute2
 * and wireguard-tools.
 */
class WgCommandTest {
    private static final Pattern PROCESS = Pattern.compile("is up \\(process (\\d+)\\)");

    @TempDir
    Path directory;

    private String namespace;
    private String name;
    private final List<Long> daemons = new ArrayList<>();

    @BeforeEach
    void createNamespace() throws Exception {
        String id = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        namespace = "zw-wgu-" + id + "-cli";
        name = "zw-wgu-" + id + "c";
        exec(List.of("ip", "netns", "add", namespace));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        exec(List.of("ip", "netns", "del", namespace));
    }


    @Test
    void upDetachesOnceTheInterfaceAnswersRefusesASecondOneAndDownStopsIt() throws Exception {
        Path file = writeConfig(name, "Address = 10.66.0.1/24\n");

        Result up = zonewire("wg", "up", file.toString());

        assertThat(up.exitCode()).as(up.output()).isZero();
        Matcher process = PROCESS.matcher(up.output());
        assertThat(process.find()).as(up.output()).isTrue();
        long pid = Long.parseLong(process.group(1));
        daemons.add(pid);
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
        assertThat(exec(List.of("ip", "netns", "exec", namespace, "ip", "-o", "addr", "show", "dev", name)).output())
                .contains("inet 10.66.0.1/24");
        assertThat(exec(List.of("wg", "show", name, "listen-port")).output().strip()).isEqualTo("51999");
        Result again = zonewire("wg", "up", file.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output().strip()).isEqualTo("zonewire wg up: interface " + name + " is already running: "
                + "/var/run/wireguard/" + name + ".sock answers");

        Result down = zonewire("wg", "down", name);

        assertThat(down.exitCode()).as(down.output()).isZero();
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(exec(List.of("ip", "netns", "exec", namespace, "ip", "-o", "link")).output()).doesNotContain(name);
        assertThat(Path.of("/var/run/wireguard", name + ".sock")).doesNotExist();
    }

    @Test
    void aMistakeInTheFileIsNamedWithItsLineAndNothingStarts() throws Exception {
        Path file = writeConfig(name, "MTU = 12\n");

        Result up = zonewire("wg", "up", file.toString());

        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.output().strip()).isEqualTo("zonewire wg up: " + name + ".conf:3: MTU must be 576 to 65455, got 12");
        assertThat(Path.of("/var/run/wireguard", name + ".sock")).doesNotExist();
    }

    @Test
    void aFileOtherUsersCanReadIsWarnedAbout() throws Exception {
        Path file = writeConfig(name, "MTU = 12\n");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Result up = zonewire("wg", "up", file.toString());

        assertThat(up.output().lines()).containsExactly(
                "zonewire wg up: warning: " + file + " is accessible to other users, and it holds a private key (chmod 600 it)",
                "zonewire wg up: " + name + ".conf:3: MTU must be 576 to 65455, got 12");
    }

    @Test
    void downOfAnInterfaceThatIsNotRunningFails() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("wg", "down", name);

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("zonewire wg down: interface " + name
                + " is not running: nothing answers on /var/run/wireguard/" + name + ".sock");
    }

    @Test
    void aFileNotNamedAfterAnInterfaceIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("wg", "up", "/tmp/settings.txt");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("followed by .conf");
    }

    @Test
    void helpNamesTheForegroundFlagAndItsVariable() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out));

        commandLine.execute("wg", "up", "--help");

        assertThat(out.toString()).contains("--foreground").contains("ZONEWIRE_FOREGROUND");
    }

    private Path writeConfig(String interfaceName, String extra) throws IOException {
        Path file = directory.resolve(interfaceName + ".conf");
        Files.writeString(file, "[Interface]\nPrivateKey = " + PrivateKey.generate(new SecureRandom()).secret().exposeBase64()
                + "\n" + extra + "ListenPort = 51999\n");
        return file;
    }

    /** Runs the zonewire command as its own JVM inside the namespace, as a user would run it there. */
    private Result zonewire(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.zonewire.cli.Main"));
        command.addAll(List.of(arguments));
        return exec(command);
    }

    private record Result(int exitCode, String output) {
    }

    private Result exec(List<String> command) throws Exception {
        // A file, not a pipe: a detached daemon inherits it and must never block on writing to it.
        Path output = Files.createTempFile(directory, "output", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 90 s");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
