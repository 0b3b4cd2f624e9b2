package dev.zonewire.relay.bench;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Runs our relay as its own process for the benchmark (so its CPU time can be measured apart
 * from the load generator's), until stdin closes.
 *
 * <p>Arguments: {@code <public IPv4> <listen port> <lowest port> <highest port> <stamp secret> [health port]}.
 * A line "heap" on stdin prints the heap in use after a full GC and the allocation count.
 */
public final class RelayLauncher {
    private RelayLauncher() {
    }

    /** Heap in use after full collections, for the per-allocation heap figure. */
    static long usedHeapAfterGc() throws InterruptedException {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
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
            var commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                if (line.equals("heap")) {
                    System.out.println("HEAP " + usedHeapAfterGc() + " allocations " + relay.stats().allocations());
                    System.out.flush();
                }
            }
        }
    }
}
