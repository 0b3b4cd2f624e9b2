package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading wg-quick files: what a good file gives, and the line and cause of every mistake. */
class WgQuickConfigTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PrivateKey KEY = PrivateKey.generate(RANDOM);
    private static final PrivateKey PEER = PrivateKey.generate(RANDOM);
    private static final PresharedKey PSK = PresharedKey.generate(RANDOM);

    @Test
    void aFullFileGivesEveryValue() throws Exception {
        WgQuickConfig config = WgQuickConfig.parse("""
                # a comment
                [Interface]
                PrivateKey = %s
                listenport = 51820   # keys are case-insensitive
                Address = 10.0.0.1/24, fd00::1/64
                Address = 10.1.0.1
                MTU = 1380
                FwMark = 0x1234
                Table = off

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.0/24, 192.168.0.0 / 16
                AllowedIPs = fd00::/64
                Endpoint = 192.0.2.7:51821
                PersistentKeepalive = 25

                [Peer]
                PublicKey = %s
                Endpoint = [2001:db8::1]:51822
                """.formatted(KEY.secret().exposeBase64(), PEER.publicKey().toBase64(), PSK.secret().exposeBase64(),
                PrivateKey.generate(RANDOM).publicKey().toBase64()), "wg0.conf");

        assertThat(config.privateKey()).isEqualTo(KEY);
        assertThat(config.listenPort()).isEqualTo(51820);
        assertThat(config.addresses()).containsExactly(IpPrefix.parse("10.0.0.1/24"), IpPrefix.parse("fd00::1/64"),
                IpPrefix.parse("10.1.0.1/32"));
        assertThat(config.mtu()).isEqualTo(1380);
        assertThat(config.firewallMark()).isEqualTo(0x1234);
        assertThat(config.table()).isEqualTo(WgQuickConfig.RouteTable.OFF);
        assertThat(config.peers()).hasSize(2);
        DeviceConfig.Peer first = config.peers().getFirst();
        assertThat(first.publicKey()).isEqualTo(PEER.publicKey());
        assertThat(first.presharedKey()).isEqualTo(PSK);
        assertThat(first.allowedIps()).containsExactly(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("192.168.0.0/16"),
                IpPrefix.parse("fd00::/64"));
        assertThat(first.endpoint()).isEqualTo(new InetSocketAddress("192.0.2.7", 51821));
        assertThat(first.persistentKeepalive()).isEqualTo(Duration.ofSeconds(25));
        DeviceConfig.Peer second = config.peers().get(1);
        assertThat(second.endpoint()).isEqualTo(new InetSocketAddress("2001:db8::1", 51822));
        assertThat(second.presharedKey().isNone()).isTrue();
        assertThat(second.allowedIps()).isEmpty();
    }

    @Test
    void aMinimalFileLeavesPortMarkAndMtuToTheDefaults() throws Exception {
        WgQuickConfig config = WgQuickConfig.parse("[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n", "wg0.conf");

        assertThat(config.listenPort()).isNull();
        assertThat(config.firewallMark()).isNull();
        assertThat(config.mtu()).isNull();
        assertThat(config.table()).isEqualTo(WgQuickConfig.RouteTable.AUTO);
        assertThat(config.peers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ListenPort = 70000          | wg0.conf:3: ListenPort: "70000" is not a number from 0 to 65535
            ListenPort = x              | wg0.conf:3: ListenPort: "x" is not a number from 0 to 65535
            MTU = 100                   | wg0.conf:3: MTU must be 576 to 65455, got 100
            Address = 10.0.0.1/33       | wg0.conf:3: Address: "10.0.0.1/33": the prefix length must be 0 to 32
            Address = 10.0.0.256        | wg0.conf:3: Address: "10.0.0.256/32" does not hold an IPv4 address
            DNS = 1.1.1.1               | wg0.conf:3: DNS is a wg-quick feature that zonewire wg up does not support; remove the line and configure it separately
            PostUp = iptables -F        | wg0.conf:3: PostUp is a wg-quick feature that zonewire wg up does not support; remove the line and configure it separately
            SaveConfig = true           | wg0.conf:3: SaveConfig = true is not supported: zonewire wg up never writes the file
            Colour = blue               | wg0.conf:3: unknown key "Colour" in [Interface]
            just words                  | wg0.conf:3: expected "Key = Value" or a [Section]
            [Peers]                     | wg0.conf:3: unknown section "[Peers]"; expected [Interface] or [Peer]
            [Interface]                 | wg0.conf:3: a second [Interface] section (the first is on line 1)
            Table = 0                   | wg0.conf:3: Table: 0 is not a routing table
            """)
    void anInterfaceMistakeIsReportedWithItsLine(String line, String message) {
        String text = "[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n" + line + "\n";

        assertThatThrownBy(() -> WgQuickConfig.parse(text, "wg0.conf"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Endpoint = 192.0.2.1               | wg0.conf:5: Endpoint: "192.0.2.1" is not host:port
            Endpoint = 192.0.2.1:99999         | wg0.conf:5: Endpoint: "99999" is not a number from 0 to 65535
            Endpoint = 2001:db8::1:51820       | wg0.conf:5: Endpoint: an IPv6 endpoint needs brackets: [address]:port
            Endpoint = no-such-host.invalid:1  | wg0.conf:5: Endpoint: cannot resolve "no-such-host.invalid"
            PersistentKeepalive = 65536        | wg0.conf:5: PersistentKeepalive: "65536" is not a number from 0 to 65535
            AllowedIPs = 10.0.0.0/8, nonsense  | wg0.conf:5: AllowedIPs: "nonsense/32" does not hold an IPv4 address
            Address = 10.0.0.1/32              | wg0.conf:5: unknown key "Address" in [Peer]
            """)
    void aPeerMistakeIsReportedWithItsLine(String line, String message) {
        String text = "[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n[Peer]\nPublicKey = "
                + PEER.publicKey().toBase64() + "\n" + line + "\n";

        assertThatThrownBy(() -> WgQuickConfig.parse(text, "wg0.conf"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage(message);
    }

    @Test
    void aBrokenKeyIsReportedWithoutRepeatingIt() {
        String secret = KEY.secret().exposeBase64();
        String truncated = secret.substring(0, 43);
        String text = "[Interface]\nPrivateKey = " + truncated + "\n";

        assertThatThrownBy(() -> WgQuickConfig.parse(text, "wg0.conf"))
                .hasMessage("wg0.conf:2: PrivateKey: private key must be 44 characters of base64 encoding 32 bytes, got 43 characters")
                .message().doesNotContain(truncated);
    }

    @Test
    void aPresharedKeyInTheWrongPlaceIsNotRepeatedEither() {
        String psk = PSK.secret().exposeBase64();
        String text = "[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n[Peer]\nPublicKey = " + psk + "x\n";

        assertThatThrownBy(() -> WgQuickConfig.parse(text, "wg0.conf"))
                .hasMessageStartingWith("wg0.conf:4: PublicKey: public key must be 44 characters")
                .message().doesNotContain(psk);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PrivateKey: %s", "PrivateKey %s", "%s", "PrivateKey = %s extra words"})
    void aMistypedKeyLineNeverRepeatsTheKey(String pattern) {
        String secret = KEY.secret().exposeBase64();
        String line = pattern.formatted(secret);
        String inInterface = "[Interface]\nPrivateKey = " + secret + "\n" + line + "\n";
        String inPeer = inInterface + "[Peer]\n" + line + "\n";
        String beforeAnySection = line + "\n";

        for (String text : List.of(inInterface, inPeer, beforeAnySection)) {
            assertThatThrownBy(() -> WgQuickConfig.parse(text, "wg0.conf"))
                    .isInstanceOf(ConfigFileException.class)
                    .message().doesNotContain(secret.substring(0, 16));
        }
    }

    @Test
    void missingSectionsAndKeysAreNamed() {
        assertThatThrownBy(() -> WgQuickConfig.parse("# nothing\n", "a.conf")).hasMessage("a.conf: there is no [Interface] section");
        assertThatThrownBy(() -> WgQuickConfig.parse("\n[Interface]\nListenPort = 1\n", "a.conf"))
                .hasMessage("a.conf:2: [Interface] has no PrivateKey");
        assertThatThrownBy(() -> WgQuickConfig.parse("[Interface]\nPrivateKey = " + KEY.secret().exposeBase64()
                + "\n[Peer]\nAllowedIPs = 10.0.0.0/8\n", "a.conf")).hasMessage("a.conf:3: [Peer] has no PublicKey");
        assertThatThrownBy(() -> WgQuickConfig.parse("ListenPort = 1\n", "a.conf"))
                .hasMessage("a.conf:1: ListenPort is outside of any [Interface] or [Peer] section");
    }

    @Test
    void aPeerListedTwiceIsRefused() {
        String peer = "[Peer]\nPublicKey = " + PEER.publicKey().toBase64() + "\n";
        String text = "[Interface]\nPrivateKey = " + KEY.secret().exposeBase64() + "\n" + peer + peer;

        assertThatThrownBy(() -> WgQuickConfig.parse(text, "a.conf"))
                .hasMessage("a.conf:5: this [Peer] has the same PublicKey as the one on line 3");
    }

    @Test
    void theConfigurationForTheDeviceCarriesThePeers() throws Exception {
        WgQuickConfig config = WgQuickConfig.parse("[Interface]\nPrivateKey = " + KEY.secret().exposeBase64()
                + "\nListenPort = 7\n[Peer]\nPublicKey = " + PEER.publicKey().toBase64() + "\nAllowedIPs = 10.0.0.0/8\n",
                "a.conf");

        DeviceConfig device = config.deviceConfig();

        assertThat(device.privateKey()).isEqualTo(KEY);
        assertThat(device.listenPort()).isEqualTo(7);
        assertThat(device.firewallMark()).isNull();
        assertThat(device.peers()).extracting(DeviceConfig.Peer::allowedIps).containsExactly(List.of(IpPrefix.parse("10.0.0.0/8")));
    }
}
