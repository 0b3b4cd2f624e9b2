package dev.zonewire.cli;

import dev.zonewire.cli.logging.Logging;
import dev.zonewire.cli.logging.LoggingOptions;
import dev.zonewire.cli.relay.RelayCommand;
import dev.zonewire.cli.wg.WgCommand;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
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
        subcommands = {VersionCommand.class, RelayCommand.class, WgCommand.class})
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
            try {
                Logging.configure(root.logging.settings(), componentName(parseResult));
            } catch (RuntimeException e) {
                return reportFailure(e, parseResult.asCommandLineList().getLast(), parseResult);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler(ZonewireCommand::reportFailure);
        return EnvironmentDefaults.install(commandLine, environment);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * A command that fails prints one line naming the cause on stderr, with the stack trace in
     * the debug log, and exits with 1.
     */
    private static int reportFailure(Exception failure, CommandLine command, ParseResult parseResult) {
        Throwable described = failure;
        while (described.getMessage() == null && described.getCause() != null) {
            described = described.getCause();
        }
        String reason = described.getMessage() != null ? described.getMessage() : described.getClass().getSimpleName();
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + reason);
        LoggerFactory.getLogger(ZonewireCommand.class).debug("{} failed", command.getCommandName(), failure);
        return 1;
    }

    /**
     * The name of the component that runs, which names its log file: the subcommand of zonewire
     * ("relay"; "wg" for "wg up").
     */
    private static String componentName(ParseResult parseResult) {
        List<CommandLine> commands = parseResult.asCommandLineList();
        return commands.size() > 1 ? commands.get(1).getCommandName() : commands.getFirst().getCommandName();
    }
}
