package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.zonewire.wireguard.DropReason;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our interface ({@code zonewire wg up}'s code, in the left namespace) against wireguard-go (the
 * Debian package, configured with {@code wg setconf}, in the right one): handshakes started from
 * either side, pings both ways and 100 MB of TCP each way with and without a preshared key,
 * {@code wg show dump} of our interface agreeing with wireguard-go's counters, and {@code wg set}
 * on our interface changing the peer while traffic runs. Needs root, iproute2, iputils-ping,
 * wireguard-go and wireguard-tools.
 */
class WireGuardGoInteropTest {
    private static final String OUR_ADDRESS = "10.99.0.1";
    private static final String GO_ADDRESS = "10.99.0.2";

    @TempDir
    Path directory;

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey ourKey = PrivateKey.generate(random);
    private final PrivateKey goKey = PrivateKey.generate(random);
    private TestNetwork network;
    private String ourName;
    private String goName;
    private WgQuickInterface us;

    @BeforeEach
    void createNetwork() throws Exception {
        network = TestNetwork.create();
        ourName = network.interfaceName("z");
        goName = network.interfaceName("g");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (us != null) {
            us.close();
        }
        network.close();
    }

    @ParameterizedTest(name = "preshared key: {0}")
    @ValueSource(booleans = {false, true})
    void weHandshakeFirstAndPingsCrossBothWays(boolean withPresharedKey) throws Exception {
        connect(presharedKey(withPresharedKey), true, false);

        String there = network.run(network.left, "ping", "-c", "3", "-i", "0.2", "-W", "5", GO_ADDRESS);
        String back = network.run(network.right, "ping", "-c", "3", "-i", "0.2", "-W", "5", OUR_ADDRESS);

        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
        assertThat(Long.parseLong(ourDump()[4])).as("latest handshake").isCloseTo(Instant.now().getEpochSecond(), within(30L));
    }

    @ParameterizedTest(name = "preshared key: {0}")
    @ValueSource(booleans = {false, true})
    void wireGuardGoHandshakesFirstAndPingsCrossBothWays(boolean withPresharedKey) throws Exception {
        connect(presharedKey(withPresharedKey), false, true);

        String there = network.run(network.right, "ping", "-c", "3", "-i", "0.2", "-W", "5", OUR_ADDRESS);
        String back = network.run(network.left, "ping", "-c", "3", "-i", "0.2", "-W", "5", GO_ADDRESS);

        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
        assertThat(ourDump()[2]).as("the endpoint we learnt from wireguard-go's initiation")
                .isEqualTo(TestNetwork.RIGHT_UNDERLAY + ":51820");
    }

    @ParameterizedTest(name = "preshared key: {0}")
    @ValueSource(booleans = {false, true})
    void aHundredMegabytesOfTcpArriveIntactEachWay(boolean withPresharedKey) throws Exception {
        connect(presharedKey(withPresharedKey), true, true);

        TcpTransfer.Result toGo = TcpTransfer.run(network.left, network.right, InetAddress.ofLiteral(GO_ADDRESS),
                100L << 20, Duration.ofSeconds(120));
        TcpTransfer.Result fromGo = TcpTransfer.run(network.right, network.left, InetAddress.ofLiteral(OUR_ADDRESS),
                100L << 20, Duration.ofSeconds(120));

        assertThat(toGo.bytesReceived()).isEqualTo(100L << 20);
        assertThat(toGo.receivedDigest()).isEqualTo(toGo.sentDigest());
        assertThat(fromGo.bytesReceived()).isEqualTo(100L << 20);
        assertThat(fromGo.receivedDigest()).isEqualTo(fromGo.sentDigest());
    }

    @Test
    void wgShowOnOurInterfaceCountsWhatWireGuardGoCounts() throws Exception {
        connect(PresharedKey.NONE, true, false);
        network.run(network.left, "ping", "-c", "5", "-i", "0.2", "-W", "5", GO_ADDRESS);

        String[] ours = ourDump();
        String[] theirs = dumpLine(network.right, goName);

        assertThat(ours[0]).isEqualTo(goKey.publicKey().toBase64());
        assertThat(Long.parseLong(ours[4])).isCloseTo(Instant.now().getEpochSecond(), within(30L));
        assertThat(Long.parseLong(ours[5])).as("we received what wireguard-go sent").isPositive()
                .isEqualTo(Long.parseLong(theirs[6]));
        assertThat(Long.parseLong(ours[6])).as("we sent what wireguard-go received").isPositive()
                .isEqualTo(Long.parseLong(theirs[5]));
        assertThat(us.device().stats().tunnelDrops()).isEmpty();
    }

    @Test
    void wgSetOnOurInterfaceGivesThePeerAnotherAllowedIpLive() throws Exception {
        connect(PresharedKey.NONE, true, false);
        network.run(network.right, "ip", "addr", "add", "10.98.0.2/24", "dev", goName);
        network.run(network.right, "wg", "set", goName, "peer", ourKey.publicKey().toBase64(), "allowed-ips",
                OUR_ADDRESS + "/32");
        network.run(network.left, "ip", "route", "add", "10.98.0.0/24", "dev", ourName);
        Process ping = network.start(network.left, "ping", "-c", "20", "-i", "0.2", "-W", "1", "10.98.0.2");
        Thread.sleep(1000);

        network.run(network.left, "wg", "set", ourName, "peer", goKey.publicKey().toBase64(), "allowed-ips",
                GO_ADDRESS + "/32,10.98.0.0/24");

        assertThat(ping.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(ping.getInputStream().readAllBytes());
        assertThat(output).containsPattern("20 packets transmitted, (1[0-9]) received");
        assertThat(network.run(network.left, "wg", "show", ourName, "allowed-ips"))
                .contains(GO_ADDRESS + "/32 10.98.0.0/24");
    }

    @Test
    void aPresharedKeyThatDiffersFromWireGuardGosYieldsNoSession() throws Exception {
        connect(PresharedKey.generate(random), true, false);
        network.run(network.right, "wg", "set", goName, "peer", ourKey.publicKey().toBase64(), "preshared-key",
                writeKey(PresharedKey.generate(random)).toString());

        int exit = network.exitCode(network.left, "ping", "-c", "2", "-W", "2", GO_ADDRESS);

        assertThat(exit).isNotZero();
        assertThat(us.device().stats().tunnelDrops()).containsKey(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        assertThat(ourDump()[4]).as("no handshake").isEqualTo("0");
    }

    /**
     * Starts wireguard-go on the right and us on the left, each with the other as its only peer;
     * each knows the other's endpoint only if asked to, so that the other must handshake first.
     */
    private void connect(PresharedKey psk, boolean weKnowItsEndpoint, boolean itKnowsOurEndpoint) throws Exception {
        startWireGuardGo(psk, itKnowsOurEndpoint);
        String pskLine = psk.isNone() ? "" : "PresharedKey = " + psk.secret().exposeBase64() + "\n";
        String endpointLine = weKnowItsEndpoint ? "Endpoint = " + TestNetwork.RIGHT_UNDERLAY + ":51820\n" : "";
        us = WgQuick.up(WgQuickConfig.parse("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                Address = %s/24
                [Peer]
                PublicKey = %s
                AllowedIPs = %s/32
                """.formatted(ourKey.secret().exposeBase64(), OUR_ADDRESS, goKey.publicKey().toBase64(), GO_ADDRESS)
                + pskLine + endpointLine, ourName + ".conf"), ourName, network.left, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
    }

    private void startWireGuardGo(PresharedKey psk, boolean knowsOurEndpoint) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", network.right, "wireguard-go", "-f", goName);
        builder.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        Process process = network.startLogged(builder);
        Path socket = DeviceOptions.DEFAULT_SOCKET_DIRECTORY.resolve(goName + ".sock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            assertThat(process.isAlive()).as("wireguard-go is running").isTrue();
            assertThat(System.nanoTime()).as("wireguard-go's socket within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        Path file = directory.resolve(goName + ".wg");
        Files.writeString(file, """
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = %s/32
                """.formatted(goKey.secret().exposeBase64(), ourKey.publicKey().toBase64(), psk.secret().exposeBase64(),
                OUR_ADDRESS) + (knowsOurEndpoint ? "Endpoint = " + TestNetwork.LEFT_UNDERLAY + ":51820\n" : ""));
        network.run(network.right, "wg", "setconf", goName, file.toString());
        network.run(network.right, "ip", "addr", "add", GO_ADDRESS + "/24", "dev", goName);
        network.run(network.right, "ip", "link", "set", goName, "mtu", "1420", "up");
    }

    private Path writeKey(PresharedKey key) throws Exception {
        Path file = Files.createTempFile(directory, "psk", ".txt");
        Files.writeString(file, key.secret().exposeBase64());
        return file;
    }

    private PresharedKey presharedKey(boolean wanted) {
        return wanted ? PresharedKey.generate(random) : PresharedKey.NONE;
    }

    private String[] ourDump() throws Exception {
        return dumpLine(network.left, ourName);
    }

    /** The peer line of {@code wg show IFACE dump}: key, psk, endpoint, allowed ips, handshake, rx, tx, keepalive. */
    private String[] dumpLine(String namespace, String interfaceName) throws Exception {
        return network.run(namespace, "wg", "show", interfaceName, "dump").lines().skip(1).findFirst().orElseThrow()
                .split("\t");
    }
}
