package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.wireguard.PrivateKey;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wireguard-tools against our interface through its UAPI socket: {@code wg show}, {@code showconf},
 * {@code set} and {@code setconf} work as they do against wireguard-go, and a refused change shows
 * the error wg prints for it. Needs root, iproute2 and wireguard-tools.
 */
class WgToolsTest {
    @TempDir
    Path directory;

    private ZonewirePair pair;
    private TestNetwork network;

    @BeforeEach
    void bringUp() throws Exception {
        pair = ZonewirePair.start();
        network = pair.network;
        network.run(network.left, "ping", "-c", "1", "-W", "5", ZonewirePair.RIGHT_ADDRESS);
    }

    @AfterEach
    void tearDown() throws Exception {
        pair.close();
    }

    @Test
    void wgShowListsThePeerWithItsHandshakeAndTransfer() throws Exception {
        String show = network.run(network.left, "wg", "show", pair.leftName);
        String[] dump = peerDump(pair.leftName);

        assertThat(show).contains("interface: " + pair.leftName, "public key: " + pair.leftKey.publicKey().toBase64(),
                "private key: (hidden)", "listening port: 51820", "peer: " + pair.rightKey.publicKey().toBase64(),
                "endpoint: " + TestNetwork.RIGHT_UNDERLAY + ":51820", "allowed ips: " + ZonewirePair.RIGHT_ADDRESS + "/32",
                "latest handshake: ", "transfer: ");
        assertThat(Long.parseLong(dump[4])).as("latest handshake").isCloseTo(Instant.now().getEpochSecond(), within(30L));
        assertThat(Long.parseLong(dump[5])).as("received").isPositive();
        assertThat(Long.parseLong(dump[6])).as("sent").isPositive();
        assertThat(dump[7]).as("persistent keepalive").isEqualTo("off");
    }

    @Test
    void wgShowconfPrintsTheConfigurationWeWereGiven() throws Exception {
        String showconf = network.run(network.left, "wg", "showconf", pair.leftName);

        DeviceConfig config = WgQuickConfig.parse(showconf, "showconf").deviceConfig();

        assertThat(config.privateKey()).isEqualTo(pair.leftKey);
        assertThat(config.listenPort()).isEqualTo(51820);
        assertThat(config.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.publicKey()).isEqualTo(pair.rightKey.publicKey());
            assertThat(peer.endpoint()).isEqualTo(new InetSocketAddress(TestNetwork.RIGHT_UNDERLAY, 51820));
            assertThat(peer.allowedIps()).extracting(Addresses::format)
                    .containsExactly(ZonewirePair.RIGHT_ADDRESS + "/32", ZonewirePair.RIGHT_ADDRESS_IPV6 + "/128");
        });
    }

    @Test
    void wgSetGivesAPeerAnotherAllowedIpLive() throws Exception {
        network.run(network.right, "ip", "addr", "add", "10.98.0.2/24", "dev", pair.rightName);
        network.run(network.left, "ip", "route", "add", "10.98.0.0/24", "dev", pair.leftName);
        assertThat(network.exitCode(network.left, "ping", "-c", "1", "-W", "1", "10.98.0.2")).isNotZero();

        network.run(network.left, "wg", "set", pair.leftName, "peer", pair.rightKey.publicKey().toBase64(),
                "allowed-ips", ZonewirePair.RIGHT_ADDRESS + "/32,10.98.0.0/24");

        assertThat(network.run(network.left, "ping", "-c", "1", "-W", "5", "10.98.0.2")).contains("1 received");
    }

    @Test
    void wgSetAddsAndRemovesAPeer() throws Exception {
        String newPeer = PrivateKey.generate(new SecureRandom()).publicKey().toBase64();

        network.run(network.left, "wg", "set", pair.leftName, "peer", newPeer, "allowed-ips", "10.97.0.0/24",
                "endpoint", "192.0.2.9:1234", "persistent-keepalive", "25");
        String added = network.run(network.left, "wg", "show", pair.leftName, "dump");
        network.run(network.left, "wg", "set", pair.leftName, "peer", newPeer, "remove");
        String removed = network.run(network.left, "wg", "show", pair.leftName, "peers");

        assertThat(added).contains(newPeer + "\t(none)\t192.0.2.9:1234\t10.97.0.0/24\t0\t");
        assertThat(added.lines().filter(line -> line.startsWith(newPeer)).findFirst().orElseThrow()).endsWith("\t25");
        assertThat(removed).doesNotContain(newPeer).contains(pair.rightKey.publicKey().toBase64());
    }

    @Test
    void aPersistentKeepaliveTurnedOnByWgSetGoesOutOnTheTimer() throws Exception {
        network.run(network.left, "wg", "set", pair.leftName, "peer", pair.rightKey.publicKey().toBase64(),
                "persistent-keepalive", "1");
        long before = received(network.right, pair.rightName);

        Thread.sleep(3500);

        assertThat(received(network.right, pair.rightName) - before).as("at least three 32-byte keepalives")
                .isGreaterThanOrEqualTo(3 * 32);
    }

    @Test
    void wgSetMovesTheListenPortAndTrafficFollows() throws Exception {
        network.run(network.right, "wg", "set", pair.rightName, "listen-port", "51821");
        network.run(network.left, "wg", "set", pair.leftName, "peer", pair.rightKey.publicKey().toBase64(), "endpoint",
                TestNetwork.RIGHT_UNDERLAY + ":51821");

        assertThat(network.run(network.right, "wg", "show", pair.rightName, "listen-port").strip()).isEqualTo("51821");
        assertThat(network.run(network.left, "ping", "-c", "1", "-W", "5", ZonewirePair.RIGHT_ADDRESS)).contains("1 received");
        assertThat(network.run(network.right, "ss", "-uln")).contains(":51821").doesNotContain(":51820 ");
    }

    @Test
    void aPortInUseIsRefusedWithWgsMessageAndTheOldPortStays() throws Exception {
        try (DatagramChannel squatter = NetworkNamespace.call(network.right,
                () -> DatagramChannel.open().bind(new InetSocketAddress("0.0.0.0", 51899)))) {
            TestNetwork.Result refused = network.tryRun(network.right, "wg", "set", pair.rightName, "listen-port", "51899");

            assertThat(squatter.isOpen()).isTrue();
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("Unable to modify interface: Address already in use");
        }
        assertThat(network.run(network.right, "wg", "show", pair.rightName, "listen-port").strip()).isEqualTo("51820");
        assertThat(network.run(network.left, "ping", "-c", "1", "-W", "5", ZonewirePair.RIGHT_ADDRESS)).contains("1 received");
    }

    @Test
    void wgSetconfReplacesThePeersAndANewPrivateKeyTakesEffect() throws Exception {
        PrivateKey newKey = PrivateKey.generate(new SecureRandom());
        String otherPeer = PrivateKey.generate(new SecureRandom()).publicKey().toBase64();
        Path file = directory.resolve("new.conf");
        Files.writeString(file, "[Interface]\nPrivateKey = " + newKey.secret().exposeBase64()
                + "\nListenPort = 51820\n[Peer]\nPublicKey = " + otherPeer + "\nAllowedIPs = 10.96.0.0/16\n");

        network.run(network.left, "wg", "setconf", pair.leftName, file.toString());

        assertThat(network.run(network.left, "wg", "show", pair.leftName, "public-key").strip())
                .isEqualTo(newKey.publicKey().toBase64());
        assertThat(network.run(network.left, "wg", "show", pair.leftName, "allowed-ips").strip())
                .isEqualTo(otherPeer + "\t10.96.0.0/16");
    }

    @Test
    void onlyRootMayUseTheSocket() throws Exception {
        Path socket = DeviceOptions.DEFAULT_SOCKET_DIRECTORY.resolve(pair.leftName + ".sock");

        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getOwner(socket).getName()).isEqualTo("root");
    }

    private long received(String namespace, String interfaceName) throws Exception {
        String line = network.run(namespace, "wg", "show", interfaceName, "dump").lines().skip(1).findFirst().orElseThrow();
        return Long.parseLong(line.split("\t")[5]);
    }

    /** The peer line of {@code wg show IFACE dump}: key, psk, endpoint, allowed ips, handshake, rx, tx, keepalive. */
    private String[] peerDump(String interfaceName) throws Exception {
        List<String> lines = network.run(network.left, "wg", "show", interfaceName, "dump").lines().toList();
        assertThat(lines).hasSize(2);
        return lines.get(1).split("\t");
    }
}
