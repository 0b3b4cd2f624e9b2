package dev.zonewire.snownet.realnet;

import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.snownet.PeerPath;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.RelayCredentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The snownet benchmark in network namespaces (run by snownet/bench/snownet-bench.sh, not by the
 * test suite): connection setup time, from the portal authorizing a flow (the client's first
 * packet) to the client's ConnectionEstablished, over many runs, direct (cone to cone) and
 * relayed through our relay (symmetric to cone), after five unrecorded warm-up runs; then iperf3
 * TCP throughput through the tunnel on both paths, after a 3 s warm-up run. Prints Markdown.
 */
public final class SnownetBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int iperfSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int iperfRepeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path logs = Files.createTempDirectory("zw-snw-bench");
        try (Topology topology = Topology.create()) {
            RelayDaemon relay = NetworkNamespace.call(Topology.RELAY, () -> RelayDaemon.start(
                    RelayConfig.of((Inet4Address) InetAddress.ofLiteral(Topology.RELAY_IP), null)
                            .withHttp(new InetSocketAddress(InetAddress.ofLiteral(Topology.RELAY_IP), 8080), null)));
            try {
                Case direct = measure(topology, relay, logs, "direct (cone to cone)", Topology.NatMode.CONE, runs, iperfSeconds, iperfRepeats);
                Case relayed = measure(topology, relay, logs, "relayed (symmetric to cone)", Topology.NatMode.SYMMETRIC, runs,
                        iperfSeconds, iperfRepeats);
                System.out.println();
                System.out.println("| path | runs | setup p50 | setup p90 | setup max | iperf3 TCP (median of " + iperfRepeats + " x "
                        + iperfSeconds + " s) |");
                System.out.println("|---|---|---|---|---|---|");
                for (Case result : List.of(direct, relayed)) {
                    System.out.printf("| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.0f Mbit/s |%n", result.name, result.setups.length,
                            percentile(result.setups, 50), percentile(result.setups, 90), result.setups[result.setups.length - 1],
                            result.throughput / 1e6);
                }
                System.out.printf("%nrelayed / direct throughput: %.0f %%%n", 100 * relayed.throughput / direct.throughput);
            } finally {
                relay.close();
            }
        }
    }

    private record Case(String name, double[] setups, double throughput) {
    }

    private static Case measure(Topology topology, RelayDaemon relay, Path logs, String name, Topology.NatMode clientNat, int runs,
                                int iperfSeconds, int iperfRepeats) throws Exception {
        topology.nat(Topology.CLIENT_NAT, clientNat);
        topology.nat(Topology.GATEWAY_NAT, Topology.NatMode.CONE);
        try (Peers peers = new Peers(topology)) {
            peers.useRelays(List.of(relay(relay)));
            int warmUps = 5;
            double[] setups = new double[runs];
            PeerPath<String> path = null;
            for (int run = -warmUps; run < runs; run++) {
                long authorized = peers.authorizeFlow();
                long established = peers.awaitEstablished(Duration.ofSeconds(10));
                if (established == 0) {
                    throw new IllegalStateException(name + ": run " + run + " did not establish within 10 s");
                }
                Thread.sleep(200);
                path = peers.clientPath().orElseThrow();
                if (run >= 0) {
                    setups[run] = (established - authorized) / 1e6;
                }
                if (run < runs - 1) {
                    peers.closeConnections();
                    Thread.sleep(100);
                }
            }
            Arrays.sort(setups);
            System.err.println(name + ": path " + path);
            iperf(topology, logs, 3);
            List<Double> throughputs = new ArrayList<>();
            for (int i = 0; i < iperfRepeats; i++) {
                throughputs.add(iperf(topology, logs, iperfSeconds));
                System.err.printf("%s: iperf3 run %d: %.1f Mbit/s%n", name, i + 1, throughputs.getLast() / 1e6);
            }
            throughputs.sort(Double::compare);
            return new Case(name, setups, throughputs.get(throughputs.size() / 2));
        }
    }

    private static Relay<String> relay(RelayDaemon relay) {
        RelayCredentials.Issued issued = RelayCredentials.issue(relay.stampSecret(), Instant.now().plusSeconds(3600), new SecureRandom());
        return new Relay<>("relay", RelayAddresses.of(new InetSocketAddress(InetAddress.ofLiteral(Topology.RELAY_IP), 3478)),
                new TurnCredentials(issued.username().toString(), issued.password(), TurnCredentials.FIREZONE_REALM));
    }

    private static double iperf(Topology topology, Path logs, int seconds) throws IOException, InterruptedException {
        Process server = topology.start(Topology.GATEWAY, logs.resolve("iperf3-server.log"), "iperf3", "-s", "-1", "-B",
                Peers.GATEWAY_TUNNEL_IP);
        try {
            Thread.sleep(300);
            Topology.Result run = topology.ns(Topology.CLIENT, "iperf3", "-c", Peers.GATEWAY_TUNNEL_IP, "-t",
                    String.valueOf(seconds), "-J").check();
            JsonNode report = new ObjectMapper().readTree(run.output());
            return report.path("end").path("sum_received").path("bits_per_second").asDouble();
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
