package dev.zonewire.cli.wg;

import dev.zonewire.wireguard.linux.WgQuick;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code zonewire wg}: userspace WireGuard interfaces that wg(8) can show and change. */
@Command(
        name = "wg",
        description = "Userspace WireGuard interfaces, configured by wg-quick files and shown and changed by wg(8) "
                + "(wg show, wg showconf, wg set) through the UAPI socket /var/run/wireguard/<interface>.sock.",
        subcommands = {WgUpCommand.class, WgDownCommand.class})
public final class WgCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The interface and file an argument names; a usage error (exit code 2) when it names neither. */
    static WgQuick.Target target(CommandSpec command, String argument) {
        try {
            return WgQuick.Target.of(argument);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }
}
