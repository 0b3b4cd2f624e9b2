package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Our tunnel against wireguard-go over real UDP: handshakes started from either side, ICMP echo
 * through the tunnel both ways, with and without a preshared key, and wireguard-go's own view of
 * us in {@code wg show}. Needs root, iproute2, wireguard-go, wireguard-tools and ping.
 */
class WireGuardGoInteropTest {
    private static WireGuardGoNamespace go;
    private UdpDriver us;
    private WireGuardPeer goAtUs;

    @BeforeAll
    static void startWireGuardGo() throws Exception {
        go = new WireGuardGoNamespace();
    }

    @AfterAll
    static void stopWireGuardGo() throws Exception {
        if (go != null) {
            go.close();
        }
    }

    @BeforeEach
    void startOurTunnel() throws Exception {
        us = new UdpDriver(go.hostAddress);
    }

    @AfterEach
    void stopOurTunnel() {
        us.close();
    }

    @ParameterizedTest(name = "preshared key: {0}")
    @ValueSource(booleans = {false, true})
    void weHandshakeFirstAndWireGuardGosHostAnswersOurPings(boolean withPresharedKey) throws Exception {
        PresharedKey psk = withPresharedKey ? PresharedKey.generate(new SecureRandom()) : PresharedKey.NONE;
        connect(psk);

        for (int sequence = 1; sequence <= 3; sequence++) {
            us.send(goAtUs, Icmp.echo(Icmp.ECHO_REQUEST, go.ourTunnelAddress, go.goTunnelAddress, 77, sequence, new byte[56]));
        }
        boolean answered = us.runUntil(() -> us.received.size() >= 3, Duration.ofSeconds(10));

        assertThat(answered).as("three echo replies through wireguard-go").isTrue();
        assertThat(us.received).allSatisfy(packet -> {
            assertThat(Icmp.isEcho(packet, Icmp.ECHO_REPLY)).isTrue();
            assertThat(Icmp.address(packet, 12)).isEqualTo(go.goTunnelAddress);
        });
        String[] dump = go.peerDump(us.tunnel.publicKey());
        assertThat(Long.parseLong(dump[4])).as("latest handshake").isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
        assertThat(Long.parseLong(dump[5])).as("wireguard-go received").isEqualTo(goAtUs.txBytes());
        assertThat(Long.parseLong(dump[6])).as("wireguard-go sent").isEqualTo(goAtUs.rxBytes());
        assertThat(us.tunnel.drops().total()).isZero();
    }

    @ParameterizedTest(name = "preshared key: {0}")
    @ValueSource(booleans = {false, true})
    void wireGuardGoHandshakesFirstAndWeAnswerItsPings(boolean withPresharedKey) throws Exception {
        PresharedKey psk = withPresharedKey ? PresharedKey.generate(new SecureRandom()) : PresharedKey.NONE;
        connect(psk);
        us.responder = packet -> Icmp.isEcho(packet, Icmp.ECHO_REQUEST) ? Icmp.replyTo(packet) : null;

        Process ping = go.ping(go.ourTunnelAddress, 3);
        us.runUntil(() -> !ping.isAlive(), Duration.ofSeconds(15));
        ping.waitFor(1, TimeUnit.SECONDS);

        assertThat(ping.exitValue()).as(new String(ping.getInputStream().readAllBytes())).isZero();
        assertThat(us.received).hasSize(3).allSatisfy(packet -> assertThat(Icmp.isEcho(packet, Icmp.ECHO_REQUEST)).isTrue());
        assertThat(goAtUs.lastHandshake()).isPresent();
        assertThat(us.tunnel.drops().total()).isZero();
    }

    @Test
    void aPresharedKeyThatDiffersFromWireGuardGosYieldsNoSession() throws Exception {
        go.setPeer(us.tunnel.publicKey(), PresharedKey.generate(new SecureRandom()), us.localAddress());
        goAtUs = us.tunnel.addPeer(new PeerConfig(go.goKey.publicKey(), PresharedKey.generate(new SecureRandom()),
                go.goEndpoint, null), System.nanoTime());

        us.send(goAtUs, Icmp.echo(Icmp.ECHO_REQUEST, go.ourTunnelAddress, go.goTunnelAddress, 78, 1, new byte[8]));
        boolean refused = us.runUntil(() -> us.tunnel.drops().count(DropReason.HANDSHAKE_DECRYPTION_FAILED) > 0,
                Duration.ofSeconds(10));

        assertThat(refused).isTrue();
        assertThat(goAtUs.hasSession(System.nanoTime())).isFalse();
        assertThat(us.received).isEmpty();
    }

    private void connect(PresharedKey psk) throws Exception {
        go.setPeer(us.tunnel.publicKey(), psk, us.localAddress());
        goAtUs = us.tunnel.addPeer(new PeerConfig(go.goKey.publicKey(), psk, go.goEndpoint, null), System.nanoTime());
    }
}
