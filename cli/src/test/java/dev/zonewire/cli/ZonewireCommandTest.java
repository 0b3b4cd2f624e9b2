package dev.zonewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ZonewireCommandTest {

    @Test
    void versionPrintsTheProjectVersion() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out));

        int exitCode = commandLine.execute("--version");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).startsWith("zonewire ").contains("java 25").doesNotContain("unknown");
    }

    @Test
    void anInvalidLogFilterIsAUsageErrorNamingTheProblem() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of("ZONEWIRE_LOG", "info,dev=loud"));
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("version");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("unknown log level 'loud'");
    }

    @Test
    void everySubcommandHasHelp() {
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());

        for (CommandLine sub : commandLine.getSubcommands().values()) {
            assertThat(sub.getCommandSpec().optionsMap()).containsKey("--help");
        }
    }

    @Test
    void aFailingCommandPrintsOneLineNamingTheCauseAndExitsWithOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path notADirectory = java.nio.file.Files.createFile(dir.resolve("plain-file"));
        StringWriter err = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("--log-dir", notADirectory.resolve("logs").toString(), "version");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith("zonewire version: cannot create log directory")
                .contains("plain-file");
    }
}
