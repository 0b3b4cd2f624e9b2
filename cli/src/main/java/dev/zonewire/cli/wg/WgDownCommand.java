package dev.zonewire.cli.wg;

import dev.zonewire.wireguard.linux.DeviceOptions;
import dev.zonewire.wireguard.linux.WgQuick;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zonewire wg down}: stops a userspace interface by removing its UAPI socket, the signal
 * zonewire and wireguard-go both stop on, and waits until the process has finished.
 */
@Command(
        name = "down",
        description = "Take down a userspace WireGuard interface (zonewire's or wireguard-go's): its process removes "
                + "the interface, with its addresses and routes, and exits.")
public final class WgDownCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INTERFACE", description = "The interface name, or its configuration file <interface>.conf.")
    String target;

    @Override
    public Integer call() throws Exception {
        WgQuick.down(WgCommand.target(spec, target).interfaceName(), DeviceOptions.DEFAULT_SOCKET_DIRECTORY, TIMEOUT);
        return 0;
    }
}
