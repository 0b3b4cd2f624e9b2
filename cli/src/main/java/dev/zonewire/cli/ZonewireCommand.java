package dev.zonewire.cli;

import dev.zonewire.cli.logging.Logging;
import dev.zonewire.cli.logging.LoggingOptions;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command; each component adds a subcommand here. */
@Command(
        name = "zonewire",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionCommand.Provider.class,
        description = "Zero-trust network access: client, gateway, relay and portal.",
        subcommands = {VersionCommand.class})
public final class ZonewireCommand implements Runnable {

    @Mixin
    LoggingOptions logging;

    @Spec
    CommandSpec spec;

    /** Runs the command line with the process's environment and returns the exit code. */
    public static int run(String... args) {
        return commandLine(System.getenv()).execute(args);
    }

    /** The command line, reading option defaults from {@code environment}. */
    public static CommandLine commandLine(Map<String, String> environment) {
        ZonewireCommand root = new ZonewireCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setExecutionStrategy(parseResult -> {
            Logging.configure(root.logging.settings(), componentName(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        return EnvironmentDefaults.install(commandLine, environment);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The name of the subcommand that runs (e.g. "relay"), which names its log file. */
    private static String componentName(ParseResult parseResult) {
        List<CommandLine> commands = parseResult.asCommandLineList();
        return commands.getLast().getCommandName();
    }
}
