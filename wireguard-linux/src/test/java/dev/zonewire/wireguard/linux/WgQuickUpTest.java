package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.Rtnetlink;
import dev.zonewire.wireguard.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link WgQuick#up} sets up on the host (MTU, addresses, link, routes per allowed IP), the
 * mistakes it refuses, and the ways an interface is taken down. Checked with iproute2 in a fresh
 * namespace.
 */
class WgQuickUpTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PrivateKey KEY = PrivateKey.generate(RANDOM);

    private TestNetwork network;
    private String name;
    private WgQuickInterface running;

    @BeforeEach
    void createNamespace() throws Exception {
        network = TestNetwork.create();
        name = network.interfaceName("u");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (running != null) {
            running.close();
        }
        network.close();
    }

    @Test
    void theInterfaceGetsItsMtuAddressesAndARoutePerAllowedIp() throws Exception {
        running = up("""
                Address = 10.70.0.1/24, fd70::1/64
                MTU = 1380
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.70.0.2/32, 10.71.0.0/16, fd71::/48
                [Peer]
                PublicKey = %s
                AllowedIPs = 172.20.0.0/24
                """.formatted(peerKey(), peerKey()));

        String link = network.run(network.left, "ip", "-o", "link", "show", name);
        String addresses = network.run(network.left, "ip", "-o", "addr", "show", "dev", name);
        String routes = network.run(network.left, "ip", "route", "show", "dev", name)
                + network.run(network.left, "ip", "-6", "route", "show", "dev", name);

        assertThat(link).contains("mtu 1380").contains(",UP");
        assertThat(addresses).contains("inet 10.70.0.1/24").contains("inet6 fd70::1/64");
        assertThat(routes).contains("10.71.0.0/16 ").contains("172.20.0.0/24 ").contains("fd71::/48 ");
        assertThat(routes.lines()).as("10.70.0.2/32 lies inside the address's own subnet route")
                .noneMatch(line -> line.startsWith("10.70.0.2 "));
    }

    @Test
    void withTableOffNoRouteIsAdded() throws Exception {
        running = up("""
                Address = 10.70.0.1/32
                Table = off
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.71.0.0/16
                """.formatted(peerKey()));

        assertThat(network.run(network.left, "ip", "route", "show", "dev", name)).doesNotContain("10.71.0.0/16");
    }

    @Test
    void withANumberedTableEveryRouteGoesThere() throws Exception {
        running = up("""
                Table = 1234
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, 10.71.0.0/16
                """.formatted(peerKey()));

        String table = network.run(network.left, "ip", "route", "show", "table", "1234");

        assertThat(table).contains("default dev " + name).contains("10.71.0.0/16 dev " + name);
    }

    @Test
    void aDefaultRouteGoesIntoTheTableOfTheFirewallMarkWithWgQuicksRules() throws Exception {
        running = up("""
                FwMark = 4321
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                """.formatted(peerKey()));

        assertThat(network.run(network.left, "ip", "route", "show", "table", "4321")).contains("default dev " + name);
        assertThat(network.run(network.left, "ip", "-6", "route", "show", "table", "4321")).contains("default dev " + name);
        assertThat(network.run(network.left, "ip", "-4", "rule")).contains("not from all fwmark 0x10e1 lookup 4321",
                "from all lookup main suppress_prefixlength 0");
        assertThat(network.run(network.left, "ip", "-6", "rule")).contains("not from all fwmark 0x10e1 lookup 4321",
                "from all lookup main suppress_prefixlength 0");

        running.close();

        assertThat(network.run(network.left, "ip", "rule")).doesNotContain("4321").doesNotContain("suppress_prefixlength");
    }

    @Test
    void aRouteTheTableHasAlreadyIsRefusedAndNothingIsLeftBehind() throws Exception {
        network.run(network.left, "ip", "route", "add", "blackhole", "10.71.0.0/16");

        assertThatThrownBy(() -> up("""
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, 10.71.0.0/16
                """.formatted(peerKey())))
                .hasMessageStartingWith("AllowedIPs 10.71.0.0/16: table 254 has a route to it already");

        assertThat(network.run(network.left, "ip", "-o", "link")).doesNotContain(name);
        assertThat(network.run(network.left, "ip", "rule")).doesNotContain("51820").doesNotContain("suppress_prefixlength");
        assertThat(socket()).doesNotExist();
    }

    @Test
    void aSecondInterfaceOfTheSameNameIsRefused() throws Exception {
        running = up("");

        assertThatThrownBy(() -> WgQuick.up(config(""), name, network.right, DeviceOptions.DEFAULT_SOCKET_DIRECTORY))
                .hasMessage("interface " + name + " is already running: " + socket() + " answers");
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "left by a process that died");

        running = up("");

        assertThat(Files.isRegularFile(socket())).isFalse();
        assertThat(network.run(network.left, "wg", "show", name, "listen-port")).isNotBlank();
    }

    @Test
    void deletingTheInterfaceStopsTheDevice() throws Exception {
        running = up("");
        CompletableFuture<String> stopped = awaitStop();

        try (Rtnetlink netlink = NetworkNamespace.call(network.left, Rtnetlink::open)) {
            netlink.deleteLink(running.device().interfaceIndex());
        }

        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo("its interface was deleted");
    }

    @Test
    void downRemovesTheSocketAndReturnsOnceTheDeviceHasStopped() throws Exception {
        running = up("");
        CompletableFuture<String> stopped = awaitStop();
        // wg down is a separate process in practice: close the device when its stop is asked for, as wg up does.
        stopped.thenRun(running::close);

        WgQuick.down(name, DeviceOptions.DEFAULT_SOCKET_DIRECTORY, Duration.ofSeconds(15));

        assertThat(stopped.get(1, TimeUnit.SECONDS)).isEqualTo("its UAPI socket was removed");
        assertThat(network.run(network.left, "ip", "-o", "link")).doesNotContain(name);
        assertThat(socket()).doesNotExist();
    }

    @Test
    void downOfAnInterfaceThatDoesNotRunSaysSo() {
        assertThatThrownBy(() -> WgQuick.down(name, DeviceOptions.DEFAULT_SOCKET_DIRECTORY, Duration.ofSeconds(1)))
                .hasMessage("interface " + name + " is not running: nothing answers on " + socket());
    }

    @Test
    void aTargetIsAnInterfaceNameOrAFileNamedAfterOne() {
        assertThat(WgQuick.Target.of("wg0")).isEqualTo(new WgQuick.Target("wg0", Path.of("/etc/wireguard/wg0.conf")));
        assertThat(WgQuick.Target.of("./conf/office.conf")).isEqualTo(new WgQuick.Target("office", Path.of("./conf/office.conf")));
        assertThatThrownBy(() -> WgQuick.Target.of("conf/office.txt")).hasMessageContaining("followed by .conf");
        assertThatThrownBy(() -> WgQuick.Target.of("/etc/wireguard/a-name-far-too-long.conf")).hasMessageContaining("1 to 15");
    }

    private WgQuickInterface up(String rest) throws Exception {
        return WgQuick.up(config(rest), name, network.left, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
    }

    private static WgQuickConfig config(String rest) throws ConfigFileException {
        return WgQuickConfig.parse("[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n" + rest, "test.conf");
    }

    private CompletableFuture<String> awaitStop() {
        WgQuickInterface device = running;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return device.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Path socket() {
        return DeviceOptions.DEFAULT_SOCKET_DIRECTORY.resolve(name + ".sock");
    }

    private static String peerKey() {
        return PrivateKey.generate(RANDOM).publicKey().toBase64();
    }
}
