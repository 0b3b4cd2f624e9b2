package dev.zonewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class EnvironmentDefaultsTest {

    @Test
    void anEnvironmentVariableSetsAnOption() {
        ZonewireCommand root = parse(Map.of("ZONEWIRE_LOG_MAX_FILES", "7"), "version");

        assertThat(root.logging.settings().maxFiles()).isEqualTo(7);
    }

    @Test
    void aFlagWinsOverTheEnvironment() {
        ZonewireCommand root = parse(Map.of("ZONEWIRE_LOG_MAX_FILES", "7"), "--log-max-files", "4", "version");

        assertThat(root.logging.settings().maxFiles()).isEqualTo(4);
    }

    @Test
    void withNeitherTheBuiltInDefaultApplies() {
        ZonewireCommand root = parse(Map.of(), "version");

        assertThat(root.logging.settings().maxFiles()).isEqualTo(10);
    }

    @Test
    void everyOptionOfEveryCommandHasAnEnvironmentVariableShownInItsHelp() {
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        List<String> checked = new ArrayList<>();

        for (CommandLine command : allCommands(commandLine)) {
            String help = usage(command);
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                List<String> variables = EnvironmentDefaults.variableNames(option);
                assertThat(variables).isNotEmpty();
                assertThat(help).as("help of %s", command.getCommandName())
                        .contains("env: " + String.join(" or ", variables));
                checked.add(command.getCommandName() + " " + option.longestName());
            }
        }
        assertThat(checked).contains("zonewire --log-dir", "version --log-dir");
    }

    @Test
    void optionsWithDifferentMeaningsDoNotShareAVariable() {
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of());
        Map<String, String> meaningByVariable = new java.util.HashMap<>();

        for (CommandLine command : allCommands(commandLine)) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                for (String variable : EnvironmentDefaults.variableNames(option)) {
                    String meaning = option.longestName();
                    String earlier = meaningByVariable.putIfAbsent(variable, meaning);
                    assertThat(earlier == null || earlier.equals(meaning))
                            .as("%s is read by %s and %s", variable, earlier, meaning)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void helpNeverShowsAValueTakenFromTheEnvironment() {
        CommandLine commandLine = ZonewireCommand.commandLine(Map.of("ZONEWIRE_LOG_DIR", "/very/private/path"));

        assertThat(usage(commandLine)).doesNotContain("/very/private/path");
    }

    private static ZonewireCommand parse(Map<String, String> environment, String... args) {
        CommandLine commandLine = ZonewireCommand.commandLine(environment);
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        Set<CommandLine> seen = new HashSet<>();
        collect(root, all, seen);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> all, Set<CommandLine> seen) {
        if (seen.add(command)) {
            all.add(command);
            command.getSubcommands().values().forEach(sub -> collect(sub, all, seen));
        }
    }

    private static String usage(CommandLine command) {
        StringWriter out = new StringWriter();
        command.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }
}
