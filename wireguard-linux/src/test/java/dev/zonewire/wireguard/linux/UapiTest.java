package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The UAPI's get and set on an interface's state, as wireguard-go answers them: the text of a get,
 * what each set key does, and the errno of each kind of mistake.
 */
class UapiTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int TAKEN_PORT = 4444;

    private final Random random = new Random(7);
    private final PrivateKey ourKey = PrivateKey.generate(random);
    private final PublicKey alice = PrivateKey.generate(random).publicKey();
    private final PublicKey bob = PrivateKey.generate(random).publicKey();
    private final WireGuardTunnel tunnel = new WireGuardTunnel(ourKey, TunnelSettings.DEFAULTS, random,
            Instant.ofEpochSecond(1_700_000_000), 0);
    private final DeviceState state = new DeviceState(tunnel, UapiTest::rebind, 51820, 0);

    private static int rebind(int port, int mark) throws IOException {
        if (port == TAKEN_PORT) {
            throw new IOException("bind UDP socket to 0.0.0.0:4444: Address already in use (EADDRINUSE)");
        }
        return port == 0 ? 40000 : port;
    }

    @Test
    void aFreshInterfaceShowsItsKeyAndPortOnly() {
        assertThat(Uapi.get(state)).isEqualTo("private_key=" + hex(ourKey) + "\nlisten_port=51820\n");
    }

    @Test
    void aPeerIsShownWithEveryFieldWireGuardGoPrints() {
        PresharedKey psk = PresharedKey.generate(random);

        int errno = set("public_key=" + hex(alice), "preshared_key=" + HEX.formatHex(psk.secret().bytes()),
                "endpoint=[2001:db8::7]:51821", "persistent_keepalive_interval=25", "allowed_ip=10.0.0.0/24",
                "allowed_ip=fd00::1/64");

        assertThat(errno).isZero();
        assertThat(Uapi.get(state)).isEqualTo("""
                private_key=%s
                listen_port=51820
                public_key=%s
                preshared_key=%s
                protocol_version=1
                endpoint=[2001:db8::7]:51821
                last_handshake_time_sec=0
                last_handshake_time_nsec=0
                tx_bytes=%d
                rx_bytes=0
                persistent_keepalive_interval=25
                allowed_ip=10.0.0.0/24
                allowed_ip=fd00::/64
                """.formatted(hex(ourKey), hex(alice), HEX.formatHex(psk.secret().bytes()),
                tunnel.peer(alice).txBytes()));
    }

    @Test
    void aPeerWithoutPresharedKeyShowsZeros() {
        set("public_key=" + hex(alice));

        assertThat(Uapi.get(state)).contains("preshared_key=" + "0".repeat(64) + "\n");
    }

    @Test
    void turningTheKeepaliveOnSendsAHandshakeAtTheEndOfThePeersLines() {
        int errno = set("public_key=" + hex(alice), "persistent_keepalive_interval=25", "endpoint=192.0.2.1:51820");

        assertThat(errno).isZero();
        assertThat(tunnel.pollTransmit()).as("the keepalive waits for a handshake, which goes to the endpoint set after")
                .isNotNull()
                .satisfies(transmit -> assertThat(transmit.destination()).isEqualTo(new InetSocketAddress("192.0.2.1", 51820)));
    }

    @Test
    void allowedIpsAreReplacedAndRemovedOneByOne() {
        set("public_key=" + hex(alice), "allowed_ip=10.0.0.0/24", "allowed_ip=10.1.0.0/24", "allowed_ip=10.2.0.0/24");

        set("public_key=" + hex(alice), "allowed_ip=-10.1.0.0/24");
        assertThat(prefixes(alice)).containsExactly(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.2.0.0/24"));

        set("public_key=" + hex(alice), "replace_allowed_ips=true", "allowed_ip=192.168.0.0/16");
        assertThat(prefixes(alice)).containsExactly(IpPrefix.parse("192.168.0.0/16"));
    }

    @Test
    void aPrefixGivenToAnotherPeerMovesToIt() {
        set("public_key=" + hex(alice), "allowed_ip=10.0.0.0/24", "public_key=" + hex(bob), "allowed_ip=10.0.0.0/24");

        assertThat(prefixes(alice)).isEmpty();
        assertThat(prefixes(bob)).containsExactly(IpPrefix.parse("10.0.0.0/24"));
    }

    @Test
    void removeTakesThePeerAndItsAllowedIps() {
        set("public_key=" + hex(alice), "allowed_ip=10.0.0.0/24");

        int errno = set("public_key=" + hex(alice), "remove=true", "allowed_ip=10.9.0.0/24");

        assertThat(errno).isZero();
        assertThat(tunnel.peer(alice)).isNull();
        assertThat(state.allowedIps().entries()).isEmpty();
    }

    @Test
    void updateOnlyChangesAnExistingPeerButCreatesNone() {
        set("public_key=" + hex(alice));

        set("public_key=" + hex(alice), "update_only=true", "endpoint=192.0.2.1:1",
                "public_key=" + hex(bob), "update_only=true", "endpoint=192.0.2.2:2");

        assertThat(tunnel.peer(alice).endpoint()).isEqualTo(new InetSocketAddress("192.0.2.1", 1));
        assertThat(tunnel.peer(bob)).isNull();
    }

    @Test
    void replacePeersRemovesEveryPeerFirst() {
        set("public_key=" + hex(alice), "allowed_ip=10.0.0.0/24");

        set("replace_peers=true", "public_key=" + hex(bob));

        assertThat(tunnel.peers()).extracting(WireGuardPeer::publicKey).containsExactly(bob);
        assertThat(state.allowedIps().entries()).isEmpty();
    }

    @Test
    void ourOwnPublicKeyNamesNoPeerAndItsLinesAreIgnored() {
        int errno = set("public_key=" + hex(ourKey.publicKey()), "allowed_ip=10.0.0.0/8", "public_key=" + hex(alice));

        assertThat(errno).isZero();
        assertThat(tunnel.peers()).extracting(WireGuardPeer::publicKey).containsExactly(alice);
        assertThat(state.allowedIps().entries()).isEmpty();
    }

    @Test
    void aNewPrivateKeyRemovesThePeerThatHasItsPublicKey() {
        PrivateKey aliceKey = PrivateKey.generate(random);
        set("public_key=" + hex(aliceKey.publicKey()), "allowed_ip=10.0.0.0/24", "public_key=" + hex(bob));

        int errno = set("private_key=" + HEX.formatHex(aliceKey.secret().bytes()));

        assertThat(errno).isZero();
        assertThat(tunnel.publicKey()).isEqualTo(aliceKey.publicKey());
        assertThat(tunnel.peers()).extracting(WireGuardPeer::publicKey).containsExactly(bob);
        assertThat(state.allowedIps().entries()).isEmpty();
    }

    @Test
    void theListenPortAndMarkRebindTheSockets() {
        int errno = set("listen_port=0", "fwmark=4660");

        assertThat(errno).isZero();
        assertThat(Uapi.get(state)).startsWith("private_key=" + hex(ourKey) + "\nlisten_port=40000\nfwmark=4660\n");
    }

    @Test
    void aPortInUseIsEaddrinuseAndTheOldPortStays() {
        assertThat(set("listen_port=" + TAKEN_PORT)).isEqualTo(-98);
        assertThat(state.listenPort()).isEqualTo(51820);
    }

    @Test
    void eachKindOfMistakeHasWireGuardGosErrno() {
        assertThat(set("no equals sign")).as("a line without =").isEqualTo(-71);
        assertThat(set("colour=blue")).as("an unknown interface key").isEqualTo(-22);
        assertThat(set("public_key=" + hex(alice), "colour=blue")).as("an unknown peer key").isEqualTo(-22);
        assertThat(set("public_key=abc")).as("a short key").isEqualTo(-22);
        assertThat(set("public_key=" + "zz".repeat(32))).as("a key that is not hex").isEqualTo(-22);
        assertThat(set("listen_port=65536")).as("a port out of range").isEqualTo(-22);
        assertThat(set("listen_port=-1")).as("a negative port").isEqualTo(-22);
        assertThat(set("replace_peers=yes")).as("true is the only value").isEqualTo(-22);
        assertThat(set("public_key=" + hex(alice), "protocol_version=2")).as("another protocol").isEqualTo(-22);
        assertThat(set("public_key=" + hex(alice), "endpoint=example.com:51820")).as("a name, not an address").isEqualTo(-22);
        assertThat(set("public_key=" + hex(alice), "allowed_ip=10.0.0.0")).as("a prefix without length").isEqualTo(-22);
        assertThat(set("public_key=" + hex(alice), "persistent_keepalive_interval=70000")).isEqualTo(-22);
        assertThat(set("private_key=" + "0".repeat(64))).as("no private key is not supported").isEqualTo(-22);
        assertThat(set("private_key=" + hex(ourKey), "public_key=" + hex(alice))).as("a private key line can follow nothing")
                .isZero();
    }

    @Test
    void aFailedLineStopsTheRequestButKeepsWhatCameBefore() {
        int errno = set("public_key=" + hex(alice), "allowed_ip=10.0.0.0/24", "bogus", "public_key=" + hex(bob));

        assertThat(errno).isEqualTo(-71);
        assertThat(tunnel.peer(alice)).isNotNull();
        assertThat(prefixes(alice)).containsExactly(IpPrefix.parse("10.0.0.0/24"));
        assertThat(tunnel.peer(bob)).isNull();
    }

    @Test
    void keysInUpperCaseHexAreRead() {
        assertThat(set("public_key=" + hex(alice).toUpperCase())).isZero();
        assertThat(tunnel.peer(alice)).isNotNull();
    }

    @Test
    void theKeepaliveIntervalIsShownInSeconds() {
        set("public_key=" + hex(alice), "persistent_keepalive_interval=0025");

        assertThat(tunnel.peer(alice).persistentKeepalive()).isEqualTo(Duration.ofSeconds(25));
    }

    private int set(String... lines) {
        Uapi.SetOperation operation = new Uapi.SetOperation(state);
        try {
            for (String line : lines) {
                int errno = operation.apply(line, 1_000_000_000L);
                if (errno != 0) {
                    return errno;
                }
            }
            return 0;
        } finally {
            operation.finish(1_000_000_000L);
        }
    }

    private List<IpPrefix> prefixes(PublicKey peer) {
        return state.allowedIps().prefixesOf(tunnel.peer(peer));
    }

    private static String hex(PublicKey key) {
        return HEX.formatHex(key.bytes());
    }

    private static String hex(PrivateKey key) {
        return HEX.formatHex(key.secret().bytes());
    }
}
