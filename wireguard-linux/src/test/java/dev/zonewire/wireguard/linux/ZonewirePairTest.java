package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two zonewire interfaces in two namespaces, each brought up from a wg-quick file: traffic both
 * ways, TCP with offload on both TUN devices, and cryptokey routing in both directions.
 */
class ZonewirePairTest {
    private ZonewirePair pair;
    private TestNetwork network;

    @BeforeEach
    void bringUp() throws Exception {
        pair = ZonewirePair.start();
        network = pair.network;
    }

    @AfterEach
    void tearDown() throws Exception {
        pair.close();
    }

    @Test
    void pingsCrossTheTunnelBothWays() throws Exception {
        String there = network.run(network.left, "ping", "-c", "3", "-i", "0.2", "-W", "5", ZonewirePair.RIGHT_ADDRESS);
        String back = network.run(network.right, "ping", "-c", "3", "-i", "0.2", "-W", "5", ZonewirePair.LEFT_ADDRESS);

        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
    }

    @Test
    void ipv6PacketsCrossTheTunnel() throws Exception {
        network.awaitIpv6Address(network.right, ZonewirePair.RIGHT_ADDRESS_IPV6);
        network.awaitIpv6Address(network.left, ZonewirePair.LEFT_ADDRESS_IPV6);

        String there = network.run(network.left, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "5",
                ZonewirePair.RIGHT_ADDRESS_IPV6);
        String back = network.run(network.right, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "5",
                ZonewirePair.LEFT_ADDRESS_IPV6);

        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
    }

    @Test
    void theTunnelRunsOverIpv6AndThePeerFollowsItsEndpoint() throws Exception {
        network.run(network.left, "wg", "set", pair.leftName, "peer", pair.rightKey.publicKey().toBase64(), "endpoint",
                "[" + TestNetwork.RIGHT_UNDERLAY_IPV6 + "]:51820");

        String there = network.run(network.left, "ping", "-c", "2", "-i", "0.2", "-W", "5", ZonewirePair.RIGHT_ADDRESS);
        String back = network.run(network.right, "ping", "-c", "2", "-i", "0.2", "-W", "5", ZonewirePair.LEFT_ADDRESS);

        assertThat(there).contains("2 received");
        assertThat(back).contains("2 received");
        assertThat(network.run(network.right, "wg", "show", pair.rightName, "endpoints"))
                .contains("[" + TestNetwork.LEFT_UNDERLAY_IPV6 + "]:51820");
    }

    @Test
    void aTcpTransferArrivesIntact() throws Exception {
        TcpTransfer.Result result = TcpTransfer.run(network.left, network.right,
                InetAddress.ofLiteral(ZonewirePair.RIGHT_ADDRESS), 100L << 20, Duration.ofSeconds(60));

        assertThat(result.receivedDigest()).isEqualTo(result.sentDigest());
        assertThat(result.bytesReceived()).isEqualTo(100L << 20);
        assertThat(pair.left.device().stats().tun().superPacketsRead()).as("TCP segmentation offload on the sender's TUN")
                .isPositive();
        assertThat(pair.right.device().stats().tun().superPacketsWritten()).as("segments merged on the receiver's TUN")
                .isPositive();
    }

    @Test
    void aPacketFromAnAddressThePeerDoesNotOwnIsDropped() throws Exception {
        network.run(network.left, "ping", "-c", "1", "-W", "5", ZonewirePair.RIGHT_ADDRESS); // right learns our endpoint
        network.run(network.right, "ip", "addr", "add", "10.99.0.22/24", "dev", pair.rightName);
        long before = pair.left.device().stats().sourceNotAllowed();

        int exit = network.exitCode(network.right, "ping", "-c", "1", "-W", "1", "-I", "10.99.0.22", ZonewirePair.LEFT_ADDRESS);

        assertThat(exit).isNotZero();
        assertThat(pair.left.device().stats().sourceNotAllowed()).isGreaterThan(before);
    }

    @Test
    void aPacketToAnAddressNoPeerOwnsIsDropped() throws Exception {
        long before = pair.left.device().stats().noRoute();

        int exit = network.exitCode(network.left, "ping", "-c", "1", "-W", "1", "10.99.0.3");

        assertThat(exit).isNotZero();
        assertThat(pair.left.device().stats().noRoute()).isGreaterThan(before);
    }
}
