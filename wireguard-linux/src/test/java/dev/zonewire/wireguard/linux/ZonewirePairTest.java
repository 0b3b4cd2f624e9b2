package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.wireguard.PrivateKey;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two zonewire interfaces in two namespaces, each brought up from a wg-quick file: traffic both
 * ways, TCP with offload on both TUN devices, and cryptokey routing in both directions.
 */
class ZonewirePairTest {
    private TestNetwork network;
    private WgQuickInterface left;
    private WgQuickInterface right;

    @BeforeEach
    void bringUp() throws Exception {
        network = TestNetwork.create();
        SecureRandom random = new SecureRandom();
        PrivateKey leftKey = PrivateKey.generate(random);
        PrivateKey rightKey = PrivateKey.generate(random);
        left = WgQuick.up(WgQuickConfig.parse("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                Address = 10.99.0.1/24

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.99.0.2/32
                Endpoint = %s:51820
                """.formatted(leftKey.secret().exposeBase64(), rightKey.publicKey().toBase64(), TestNetwork.RIGHT_UNDERLAY),
                "left.conf"), network.interfaceName("l"), network.left, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
        right = WgQuick.up(WgQuickConfig.parse("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                Address = 10.99.0.2/24

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.99.0.1/32
                """.formatted(rightKey.secret().exposeBase64(), leftKey.publicKey().toBase64()),
                "right.conf"), network.interfaceName("r"), network.right, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (left != null) {
            left.close();
        }
        if (right != null) {
            right.close();
        }
        network.close();
    }

    @Test
    void pingsCrossTheTunnelBothWays() throws Exception {
        String there = network.run(network.left, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.2");
        String back = network.run(network.right, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.99.0.1");

        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
    }

    @Test
    void aTcpTransferArrivesIntact() throws Exception {
        TcpTransfer.Result result = TcpTransfer.run(network.left, network.right, InetAddress.ofLiteral("10.99.0.2"),
                100L << 20, Duration.ofSeconds(60));

        assertThat(result.receivedDigest()).isEqualTo(result.sentDigest());
        assertThat(result.bytesReceived()).isEqualTo(100L << 20);
        assertThat(left.device().stats().tun().superPacketsRead()).as("TCP segmentation offload on the sender's TUN").isPositive();
        assertThat(right.device().stats().tun().superPacketsWritten()).as("segments merged on the receiver's TUN").isPositive();
    }

    @Test
    void aPacketFromAnAddressThePeerDoesNotOwnIsDropped() throws Exception {
        network.run(network.left, "ping", "-c", "1", "-W", "5", "10.99.0.2"); // the right side learns our endpoint
        network.run(network.right, "ip", "addr", "add", "10.99.0.22/24", "dev", network.interfaceName("r"));
        long before = left.device().stats().sourceNotAllowed();

        int exit = network.exitCode(network.right, "ping", "-c", "1", "-W", "1", "-I", "10.99.0.22", "10.99.0.1");

        assertThat(exit).isNotZero();
        assertThat(left.device().stats().sourceNotAllowed()).isGreaterThan(before);
    }

    @Test
    void aPacketToAnAddressNoPeerOwnsIsDropped() throws Exception {
        long before = left.device().stats().noRoute();

        int exit = network.exitCode(network.left, "ping", "-c", "1", "-W", "1", "10.99.0.3");

        assertThat(exit).isNotZero();
        assertThat(left.device().stats().noRoute()).isGreaterThan(before);
    }
}
