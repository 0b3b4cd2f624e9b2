package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A removed peer leaves the routing table the packet threads read as soon as it leaves the tunnel,
 * not when the UAPI request ends: a packet routed to a removed peer would restart its handshake
 * and bring its keys back.
 */
class PeerRemovalTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int ALICE_ADDRESS = 0x0a00_0001;
    private static final int BOB_ADDRESS = 0x0a01_0001;
    private static final long NOW = 1_000_000_000L;

    private final Random random = new Random(11);
    private final PublicKey alice = PrivateKey.generate(random).publicKey();
    private final PublicKey bob = PrivateKey.generate(random).publicKey();
    private final WireGuardTunnel tunnel = new WireGuardTunnel(PrivateKey.generate(random), TunnelSettings.DEFAULTS,
            random, Instant.ofEpochSecond(1_700_000_000), 0);
    private final DeviceState state = new DeviceState(tunnel, (port, mark) -> port, 51820, 0);

    @BeforeEach
    void twoPeersWithRoutes() {
        Uapi.SetOperation setup = new Uapi.SetOperation(state);
        setup.apply("public_key=" + HEX.formatHex(alice.bytes()), NOW);
        setup.apply("allowed_ip=10.0.0.0/24", NOW);
        setup.apply("public_key=" + HEX.formatHex(bob.bytes()), NOW);
        setup.apply("allowed_ip=10.1.0.0/24", NOW);
        setup.finish(NOW);
    }

    @Test
    void aPeerRemovedByUapiIsNoLongerRoutedWhileTheRequestGoesOn() {
        Uapi.SetOperation operation = new Uapi.SetOperation(state);

        operation.apply("public_key=" + HEX.formatHex(alice.bytes()), NOW);
        operation.apply("remove=true", NOW);

        assertThat(tunnel.peer(alice)).isNull();
        assertThat(state.allowedIps().lookupIpv4(ALICE_ADDRESS)).isNull();
        assertThat(state.allowedIps().lookupIpv4(BOB_ADDRESS)).isSameAs(tunnel.peer(bob));
    }

    @Test
    void replacingThePeersTakesEveryOldRouteAwayAtOnce() {
        Uapi.SetOperation operation = new Uapi.SetOperation(state);

        operation.apply("replace_peers=true", NOW);

        assertThat(tunnel.peers()).isEmpty();
        assertThat(state.allowedIps().entries()).isEmpty();
    }
}
