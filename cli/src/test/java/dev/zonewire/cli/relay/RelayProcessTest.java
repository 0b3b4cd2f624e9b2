package dev.zonewire.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.peers.BlockingTurnClient;
import dev.zonewire.relay.peers.ExternalProcess;
import dev.zonewire.relay.portal.StubPortal;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonewire relay} as operators run it: a process, its exit codes, its signals, real TURN clients. */
@Timeout(120)
class RelayProcessTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String LISTENING = "Relay listening on port (\\d+)";
    private static final String[] LOOPBACK_RELAY = {"relay", "--public-ip4-addr", "127.0.0.1",
        "--bind-ip4-addr", "127.0.0.1", "--listen-port", "0", "--health-check-addr", "127.0.0.1:0"};

    @TempDir
    Path dir;

    @Test
    void turnutilsRelaysThroughAStandaloneRelayWithCredentialsFromTheCredentialsCommand() throws Exception {
        Path stateDir = dir.resolve("state");
        try (ZonewireProcess relay = ZonewireProcess.start(Map.of(), relayArgs("--state-dir", stateDir.toString()))) {
            int port = Integer.parseInt(relay.awaitLog(LISTENING, Duration.ofSeconds(30)));
            Map<String, String> credentials = credentials("--state-dir", stateDir.toString());
            int peerPort = ExternalProcess.freeUdpPort(LOOPBACK);

            String output;
            try (ExternalProcess peer = ExternalProcess.start(List.of("turnutils_peer", "-L", "127.0.0.1", "-p",
                    Integer.toString(peerPort)))) {
                Thread.sleep(300);
                output = ExternalProcess.run(List.of("turnutils_uclient", "-u", credentials.get("username"),
                        "-w", credentials.get("password"), "-p", Integer.toString(port), "-e", "127.0.0.1",
                        "-r", Integer.toString(peerPort), "-n", "200", "-m", "2", "-l", "120", "-z", "5", "-c",
                        "-L", "127.0.0.1", "127.0.0.1"), Duration.ofSeconds(60));
            }

            assertThat(output).as(output).contains("Total lost packets 0 (0.000000%)").contains("tot_send_msgs=400");
        }
    }

    @Test
    void credentialsIssuedBeforeARestartWithAStateDirStillWorkAfterIt() throws Exception {
        Path stateDir = dir.resolve("state");
        Map<String, String> credentials = credentials("--state-dir", stateDir.toString());
        try (ZonewireProcess first = ZonewireProcess.start(Map.of(), relayArgs("--state-dir", stateDir.toString()))) {
            first.awaitLog(LISTENING, Duration.ofSeconds(30));
            first.signal("TERM");
            assertThat(first.waitForExit(Duration.ofSeconds(15))).isZero();
        }

        try (ZonewireProcess second = ZonewireProcess.start(Map.of(), relayArgs("--state-dir", stateDir.toString()));
                BlockingTurnClient client = client(
                        Integer.parseInt(second.awaitLog(LISTENING, Duration.ofSeconds(30))), credentials)) {
            assertThat(BlockingTurnClient.isSuccess(client.allocate())).isTrue();
        }
    }

    @Test
    void withoutAllocationsTheFirstSigintEndsTheRelayWithExitCodeZero() throws Exception {
        try (ZonewireProcess relay = ZonewireProcess.start(Map.of("ZONEWIRE_STAMP_SECRET", "s"), relayArgs())) {
            relay.awaitLog(LISTENING, Duration.ofSeconds(30));

            relay.signal("INT");

            assertThat(relay.waitForExit(Duration.ofSeconds(15))).isZero();
            assertThat(relay.stderr()).contains("Received SIGINT").contains("Drained: no allocations left");
        }
    }

    @Test
    void theFirstSigtermLeavesThePortalAndDrainsTheSecondEndsTheRelay() throws Exception {
        try (StubPortal portal = new StubPortal().start();
                ZonewireProcess relay = ZonewireProcess.start(Map.of("FIREZONE_TOKEN", StubPortal.TOKEN),
                        relayArgs("--api-url", portal.url().toString(), "--log", "debug"));
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = Integer.parseInt(relay.awaitLog(LISTENING, Duration.ofSeconds(30)));
            await(() -> portal.joins().size() == 1 && portal.openSockets() == 1);
            Map<String, String> credentials = portalCredentials(portal);
            try (BlockingTurnClient existing = client(port, credentials); BlockingTurnClient late = client(port, credentials)) {
                assertThat(BlockingTurnClient.isSuccess(existing.allocate())).isTrue();
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                assertThat(BlockingTurnClient.isSuccess(existing.bindChannel(0x4000, peerAddress))).isTrue();

                relay.signal("TERM");

                await(() -> portal.openSockets() == 0);
                relay.awaitLog("Draining: no new allocations", Duration.ofSeconds(10));
                assertThat(BlockingTurnClient.errorCode(late.allocate())).as("new allocations refused").isEqualTo(508);
                assertThat(pingPong(existing, peer)).as("the existing allocation still relays").isTrue();
                assertThat(relay.isAlive()).isTrue();

                relay.signal("TERM");

                assertThat(relay.waitForExit(Duration.ofSeconds(15))).isZero();
            }
            assertThat(relay.stderr() + relay.stdout()).as("the token is never logged, even at debug level")
                    .doesNotContain(StubPortal.TOKEN);
        }
    }

    @Test
    void aRefusedTokenEndsTheRelayWithExitCodeOneAndOneClearLine() throws Exception {
        String wrongToken = "zw-rly-wrong-token-2b7f0c";
        Path tokenFile = Files.writeString(dir.resolve("token"), wrongToken + "\n");
        try (StubPortal portal = new StubPortal().start();
                ZonewireProcess relay = ZonewireProcess.start(Map.of(),
                        relayArgs("--api-url", portal.url().toString(), "--token-file", tokenFile.toString()))) {

            int exitCode = relay.waitForExit(Duration.ofSeconds(30));

            assertThat(exitCode).as(relay.stderr()).isEqualTo(1);
            assertThat(relay.stderr().lines().toList().getLast()).isEqualTo("zonewire relay: Portal connection failed: "
                    + "the portal refused the connection with HTTP 401: Invalid token (the token was refused: check or renew it)");
            assertThat(relay.stderr() + relay.stdout()).doesNotContain(wrongToken);
        }
    }

    private static String[] relayArgs(String... extra) {
        String[] args = Arrays.copyOf(LOOPBACK_RELAY, LOOPBACK_RELAY.length + extra.length);
        System.arraycopy(extra, 0, args, LOOPBACK_RELAY.length, extra.length);
        return args;
    }

    /** What {@code zonewire relay credentials} prints, as name and value. */
    private static Map<String, String> credentials(String... secretSource) throws Exception {
        String[] args = new String[secretSource.length + 2];
        args[0] = "relay";
        args[1] = "credentials";
        System.arraycopy(secretSource, 0, args, 2, secretSource.length);
        return ZonewireProcess.run(args).lines().map(line -> line.split(": ", 2))
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1]));
    }

    /** Credentials as the portal would issue them, from the stamp secret the relay joined with. */
    private static Map<String, String> portalCredentials(StubPortal portal) {
        String secret = portal.joins().getFirst().payload().get("stamp_secret").asText();
        RelayCredentials.Issued issued = RelayCredentials.issue(StampSecret.of(Secret.of(secret)),
                Instant.now().plus(Duration.ofHours(1)), new Random());
        return Map.of("username", issued.username().toString(), "password", issued.password().expose());
    }

    private static BlockingTurnClient client(int port, Map<String, String> credentials) throws Exception {
        return new BlockingTurnClient(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, port),
                credentials.get("username"), Secret.of(credentials.get("password")));
    }

    /** ChannelData to the peer and back. */
    private static boolean pingPong(BlockingTurnClient client, DatagramSocket peer) throws Exception {
        peer.setSoTimeout(3000);
        client.sendChannelData(0x4000, "ping".getBytes());
        DatagramPacket received = new DatagramPacket(new byte[100], 100);
        peer.receive(received);
        peer.send(new DatagramPacket("pong".getBytes(), 4, received.getSocketAddress()));
        return client.receiveChannelData(Duration.ofSeconds(3))
                .filter(frame -> frame.equals(new ChannelData.Frame(0x4000, "pong".getBytes())))
                .isPresent();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
