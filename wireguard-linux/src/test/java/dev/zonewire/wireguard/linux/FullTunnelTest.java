package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.wireguard.PrivateKey;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full tunnel, {@code AllowedIPs = 0.0.0.0/0} with the default table, as wg-quick routes it: the
 * left interface sends everything into the tunnel (here to an "internet" address on the right),
 * except what the main table routes more specifically (the underlay link), and its own UDP
 * packets, which carry the firewall mark, never enter the tunnel.
 */
class FullTunnelTest {
    private static final String INTERNET_HOST = "203.0.113.7";

    private TestNetwork network;
    private WgQuickInterface left;
    private WgQuickInterface right;
    private String leftName;

    @BeforeEach
    void bringUp() throws Exception {
        network = TestNetwork.create();
        SecureRandom random = new SecureRandom();
        PrivateKey leftKey = PrivateKey.generate(random);
        PrivateKey rightKey = PrivateKey.generate(random);
        leftName = network.interfaceName("l");
        network.run(network.right, "ip", "addr", "add", INTERNET_HOST + "/32", "dev", "lo");
        right = WgQuick.up(WgQuickConfig.parse("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                Address = 10.99.0.2/24
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.99.0.1/32
                """.formatted(rightKey.secret().exposeBase64(), leftKey.publicKey().toBase64()), "right.conf"),
                network.interfaceName("r"), network.right, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
        left = WgQuick.up(WgQuickConfig.parse("""
                [Interface]
                PrivateKey = %s
                Address = 10.99.0.1/24
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0
                Endpoint = %s:51820
                """.formatted(leftKey.secret().exposeBase64(), rightKey.publicKey().toBase64(), TestNetwork.RIGHT_UNDERLAY),
                "left.conf"), leftName, network.left, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
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
    void trafficToTheInternetGoesThroughTheTunnel() throws Exception {
        String route = network.run(network.left, "ip", "route", "get", INTERNET_HOST);
        String ping = network.run(network.left, "ping", "-c", "2", "-i", "0.2", "-W", "5", INTERNET_HOST);

        assertThat(route).contains("dev " + leftName + " table " + InterfaceRoutes.DEFAULT_ROUTE_TABLE);
        assertThat(ping).contains("2 received");
    }

    @Test
    void theMainTablesSpecificRoutesAndTheMarkedTunnelPacketsStayOutside() throws Exception {
        String underlay = network.run(network.left, "ip", "route", "get", TestNetwork.RIGHT_UNDERLAY);
        String tunnelPackets = network.run(network.left, "ip", "route", "get", TestNetwork.RIGHT_UNDERLAY, "mark",
                Integer.toString(InterfaceRoutes.DEFAULT_ROUTE_TABLE));

        assertThat(underlay).contains("dev " + network.interfaceName("vl")).doesNotContain(leftName);
        assertThat(tunnelPackets).contains("dev " + network.interfaceName("vl")).doesNotContain(leftName);
        assertThat(network.run(network.left, "wg", "show", leftName, "fwmark").strip()).isEqualTo("0xca6c");
    }

    @Test
    void takingTheInterfaceDownRemovesTheRules() throws Exception {
        assertThat(network.run(network.left, "ip", "rule")).contains("suppress_prefixlength");

        left.close();

        assertThat(network.run(network.left, "ip", "rule")).doesNotContain("suppress_prefixlength").doesNotContain("0xca6c");
        assertThat(network.exitCode(network.left, "ip", "route", "get", INTERNET_HOST)).as("no route out any more").isNotZero();
    }
}
