package dev.zonewire.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command; each component adds a subcommand here. */
@Command(
        name = "zonewire",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Zero-trust network access: client, gateway, relay and portal.",
        subcommands = {VersionCommand.class})
public final class ZonewireCommand implements Runnable {

    /** Runs the command line and returns the process exit code. */
    public static int run(String... args) {
        return new CommandLine(new ZonewireCommand()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
