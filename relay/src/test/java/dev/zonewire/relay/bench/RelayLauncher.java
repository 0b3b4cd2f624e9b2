package dev.zonewire.relay.bench;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Runs our relay as its own process for the benchmark (so its CPU time can be measured apart
 * from the load generator's), until stdin closes. Until the cli module's {@code zonewire relay}
 * exists this is also the quickest way to start one by hand.
 *
 * <p>Arguments: {@code <public IPv4> <listen port> <lowest port> <highest port> <stamp secret> [health port]}.
 */
public final class RelayLauncher {
    private RelayLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Inet4Address ip = (Inet4Address) InetAddress.getByName(args[0]);
        RelayConfig config = RelayConfig.of(ip, null).withBind(ip, null)
                .withListenPort(Integer.parseInt(args[1]))
                .withPortRange(Integer.parseInt(args[2]), Integer.parseInt(args[3]))
                .withStampSecret(Secret.of(args[4]))
                .withHttp(args.length > 5 ? new InetSocketAddress(ip, Integer.parseInt(args[5])) : null, null);
        try (RelayDaemon relay = RelayDaemon.start(config)) {
            System.out.println("READY " + relay.listenPort() + " pid " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our stdin.
            }
        }
    }
}
