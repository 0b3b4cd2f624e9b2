package dev.zonewire.snownet.realnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonewire.common.Secret;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.snownet.PeerPath;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.RelayCredentials;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real sockets, TUN devices and nftables NAT in network namespaces (needs root, nftables, ping,
 * iperf3 and coturn's turnserver, as CI has): two nodes behind cone NATs connect directly;
 * behind a symmetric and a cone NAT they connect through our relay, and through coturn. In each
 * case IP packets flow through the TUN devices: ping, then a short iperf3 run.
 */
class RealNetworkTest {
    static final String COTURN_USER = "zwsnw";
    static final Secret COTURN_PASSWORD = Secret.of("zw-snw-coturn-password");

    private static Topology topology;
    private static RelayDaemon relay;
    private static Path logs;

    @BeforeAll
    static void buildNetwork() throws IOException {
        logs = Files.createTempDirectory("zw-snw-realnet");
        topology = Topology.create();
        relay = NetworkNamespace.call(Topology.RELAY, () -> RelayDaemon.start(
                RelayConfig.of((Inet4Address) InetAddress.ofLiteral(Topology.RELAY_IP), null)
                        .withHttp(new InetSocketAddress(InetAddress.ofLiteral(Topology.RELAY_IP), 8080), null)));
        topology.start(Topology.COTURN, logs.resolve("turnserver.log"), "turnserver", "-n", "--no-cli", "--no-tls",
                "--no-dtls", "--listening-ip=" + Topology.COTURN_IP, "--relay-ip=" + Topology.COTURN_IP,
                "--listening-port=3478", "--min-port=49152", "--max-port=65535", "--lt-cred-mech", "--realm=firezone",
                "--user=" + COTURN_USER + ":" + COTURN_PASSWORD.expose(), "--log-file=stdout", "--simple-log");
    }

    @AfterAll
    static void tearDown() {
        if (relay != null) {
            relay.close();
        }
        if (topology != null) {
            topology.close();
        }
        try (var files = Files.walk(logs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }

    static Relay<String> ourRelay() {
        RelayCredentials.Issued issued = RelayCredentials.issue(relay.stampSecret(), Instant.now().plusSeconds(3600), new SecureRandom());
        return new Relay<>("relay", RelayAddresses.of(new InetSocketAddress(InetAddress.ofLiteral(Topology.RELAY_IP), 3478)),
                new TurnCredentials(issued.username().toString(), issued.password(), TurnCredentials.FIREZONE_REALM));
    }

    static Relay<String> coturn() {
        return new Relay<>("coturn", RelayAddresses.of(new InetSocketAddress(InetAddress.ofLiteral(Topology.COTURN_IP), 3478)),
                new TurnCredentials(COTURN_USER, COTURN_PASSWORD, "firezone"));
    }

    @Test
    void twoNodesBehindConeNatsConnectDirectly() throws Exception {
        PeerPath<String> path = connectAndCarryTraffic(Topology.NatMode.CONE, Topology.NatMode.CONE, ourRelay());

        assertThat(path.isDirect()).as("path " + path).isTrue();
    }

    @Test
    void symmetricToConeGoesThroughOurRelay() throws Exception {
        PeerPath<String> path = connectAndCarryTraffic(Topology.NatMode.SYMMETRIC, Topology.NatMode.CONE, ourRelay());

        assertThat(path.isDirect()).as("path " + path).isFalse();
        assertThat(relay.stats().clientToPeerPackets()).isPositive();
    }

    @Test
    void symmetricToConeGoesThroughCoturn() throws Exception {
        PeerPath<String> path = connectAndCarryTraffic(Topology.NatMode.SYMMETRIC, Topology.NatMode.CONE, coturn());

        assertThat(path.isDirect()).as("path " + path).isFalse();
    }

    private static PeerPath<String> connectAndCarryTraffic(Topology.NatMode clientNat, Topology.NatMode gatewayNat,
                                                          Relay<String> turn) throws Exception {
        topology.nat(Topology.CLIENT_NAT, clientNat);
        topology.nat(Topology.GATEWAY_NAT, gatewayNat);
        try (Peers peers = new Peers(topology)) {
            peers.useRelays(List.of(turn));
            long authorized = peers.authorizeFlow();
            long established = peers.awaitEstablished(Duration.ofSeconds(10));
            assertThat(established).as("established within 10 s").isPositive();
            Thread.sleep(500);
            PeerPath<String> path = peers.clientPath().orElseThrow();

            Topology.Result ping = topology.ns(Topology.CLIENT, "ping", "-c", "5", "-i", "0.2", "-W", "2", Peers.GATEWAY_TUNNEL_IP);
            assertThat(ping.exitCode()).as(ping.output()).isZero();
            assertThat(ping.output()).contains("5 received");
            double bitsPerSecond = iperf(2);
            assertThat(bitsPerSecond).as("iperf3 through the tunnel").isGreaterThan(1e6);
            System.out.printf("%s/%s via %s: set up in %.1f ms, path %s, iperf3 %.1f Mbit/s%n", clientNat, gatewayNat,
                    turn.id(), (established - authorized) / 1e6, path, bitsPerSecond / 1e6);
            return path;
        }
    }

    /** A TCP iperf3 run from the client to the gateway's tunnel address; the receiver's bits per second. */
    static double iperf(int seconds) throws IOException, InterruptedException {
        Process server = topology.start(Topology.GATEWAY, logs.resolve("iperf3-server.log"), "iperf3", "-s", "-1",
                "-B", Peers.GATEWAY_TUNNEL_IP);
        try {
            Thread.sleep(300);
            Topology.Result run = topology.ns(Topology.CLIENT, "iperf3", "-c", Peers.GATEWAY_TUNNEL_IP, "-t",
                    String.valueOf(seconds), "-J");
            assertThat(run.exitCode()).as(run.output()).isZero();
            JsonNode report = new ObjectMapper().readTree(run.output());
            return report.path("end").path("sum_received").path("bits_per_second").asDouble();
        } finally {
            server.destroy();
        }
    }
}
