package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

/** Peers a channel may not be bound to: the relay must not reach its own host or send where no peer lives (403). */
class ForbiddenPeerTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    ForbiddenPeerTest() {
        client.allocate(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));
        relay.events();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:53", "127.1.2.3:8080", "[::1]:53", "0.0.0.0:53", "[::]:53",
            "224.0.0.251:5353", "[ff02::fb]:5353", "255.255.255.255:67", "169.254.169.254:53", "[fe80::1]:53",
            "192.0.2.50:0", "203.0.113.7:3478", "203.0.113.7:22", "[2001:db8::7]:3478"})
    void channelBindToTheRelaysHostOrANonPeerAddressIsForbidden(String peer) {
        assertError(client.bindChannel(0x4000, socket(peer)), StunErrorCode.FORBIDDEN);

        assertThat(relay.server.boundChannelCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000000000000000ffff7f000001", "000000000000000000000000c0000232"})
    void ipv6AddressesThatEmbedAnIpv4AddressAreForbidden(String hex) throws UnknownHostException {
        InetSocketAddress embedded = new InetSocketAddress(
                Inet6Address.getByAddress(null, HexFormat.of().parseHex(hex), -1), 53);

        assertError(client.bindChannel(0x4000, embedded), StunErrorCode.FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7:49152", "203.0.113.7:65535", "[2001:db8::7]:50000", "10.0.0.5:51820",
            "192.168.1.2:51820", "[fd00::5]:51820", "198.51.100.3:51820"})
    void anotherAllocationOnThisRelayAndPrivateAddressesArePeers(String peer) {
        assertSuccess(client.bindChannel(0x4000, socket(peer)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:53", "203.0.113.7:3478"})
    void createPermissionForAForbiddenPeerIsForbiddenToo(String peer) {
        assertError(client.request(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(socket(peer))),
                StunErrorCode.FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:53", "[::1]:53"})
    void aRelayWhosePublicAddressIsLoopbackMayRelayToLoopback(String peer) {
        TestRelay local = new TestRelay(RelayServerConfig.of(
                (Inet4Address) TestRelay.ip("127.0.0.1"), (Inet6Address) TestRelay.ip("::1")));
        TestClient localClient = local.client("127.0.0.1:40000");
        localClient.allocate(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));

        assertSuccess(localClient.bindChannel(0x4000, socket(peer)));
    }
}
