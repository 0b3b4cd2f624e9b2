package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

/** ChannelBind and ChannelData in both directions (the reference's ping_pong and rebind tests, and section 8.5). */
class ChannelRelayingTest {
    private static final InetSocketAddress PEER = socket("192.0.2.50:51820");
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");
    private int port;

    private void allocate(StunAttribute... attributes) {
        StunMessage response = client.allocate(attributes);
        port = response.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        relay.events();
    }

    @Test
    void pingPongThroughAnIpv4Channel() {
        allocate(new StunAttribute.Lifetime(3600));
        assertSuccess(client.bindChannel(0x4321, PEER));
        assertThat(relay.server.pollTimeout()).isEqualTo(relay.nanosFromNow(Duration.ofSeconds(600)));
        byte[] payload = new byte[32];
        Arrays.fill(payload, (byte) 7);

        Forward toPeer = relay.fromClient(ChannelData.encode(0x4321, payload, false), client.address);

        assertThat(toPeer.destination()).isEqualTo(PEER);
        assertThat(toPeer.sourcePort()).isEqualTo(port);
        assertThat(toPeer.payloadOffset()).isEqualTo(4);
        assertThat(toPeer.payloadLength()).isEqualTo(32);

        Forward toClient = relay.fromPeer(payload, PEER, port);

        assertThat(toClient.destination()).isEqualTo(client.address);
        assertThat(toClient.channel()).isEqualTo(0x4321);
        assertThat(toClient.payloadLength()).isEqualTo(32);
        assertThat(relay.server.stats().clientToPeerBytes()).isEqualTo(32);
        assertThat(relay.server.stats().peerToClientPackets()).isEqualTo(1);
    }

    @Test
    void pingPongThroughAnIpv6ChannelFromAnIpv6Client() {
        TestClient v6 = relay.client("[2001:db8::20]:40000");
        StunMessage allocated = v6.allocate(new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6));
        int v6Port = allocated.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        InetSocketAddress peer = socket("[2001:db8::50]:51820");
        assertSuccess(v6.bindChannel(0x4000, peer));

        Forward toPeer = relay.fromClient(ChannelData.encode(0x4000, new byte[32], false), v6.address);
        assertThat(toPeer.destination()).isEqualTo(peer);
        assertThat(toPeer.payloadLength()).isEqualTo(32);

        Forward toClient = relay.fromPeer(new byte[32], peer, v6Port);
        assertThat(toClient.destination()).isEqualTo(v6.address);
    }

    @Test
    void paddedChannelDataForwardsOnlyTheLengthItDeclares() {
        allocate();
        client.bindChannel(0x4000, PEER);

        Forward toPeer = relay.fromClient(HexFormat.of().parseHex("40000005 68656c6c6f 000000".replace(" ", "")), client.address);

        assertThat(toPeer.payloadLength()).isEqualTo(5);
    }

    @Test
    void channelDataShorterThanItsLengthOrOutsideTheRangeIsDropped() {
        allocate();
        client.bindChannel(0x4000, PEER);

        assertThat(relay.fromClient(HexFormat.of().parseHex("4000000568656c6c"), client.address)).isNull();
        assertThat(relay.fromClient(HexFormat.of().parseHex("8000000568656c6c6f"), client.address)).isNull();
        assertThat(relay.fromClient(HexFormat.of().parseHex("400000"), client.address)).isNull();

        assertThat(relay.server.stats().drops().get(DropReason.MALFORMED_CHANNEL_DATA)).isEqualTo(2);
        assertThat(relay.server.stats().drops().get(DropReason.NOT_STUN_OR_CHANNEL_DATA)).isEqualTo(1);
    }

    @Test
    void rfc5766ChannelNumbersAsCoturnsClientUsesThemAreRelayed() {
        allocate();
        assertSuccess(client.bindChannel(0x66BE, PEER));

        assertThat(relay.fromClient(ChannelData.encode(0x66BE, new byte[3], false), client.address).destination()).isEqualTo(PEER);
        assertThat(relay.fromPeer(new byte[3], PEER, port).channel()).isEqualTo(0x66BE);
    }

    @Test
    void peerDataFromTheRightIpButAnotherPortIsDropped() {
        allocate();
        client.bindChannel(0x4000, PEER);

        assertThat(relay.fromPeer(new byte[8], socket("192.0.2.50:51821"), port)).isNull();
        assertThat(relay.server.stats().drops().get(DropReason.NO_CHANNEL_FOR_PEER)).isEqualTo(1);
    }

    @Test
    void dataOnAnUnboundChannelOrFromAnotherClientIsDropped() {
        allocate();
        client.bindChannel(0x4000, PEER);

        assertThat(relay.fromClient(ChannelData.encode(0x4001, new byte[4], false), client.address)).isNull();
        assertThat(relay.fromClient(ChannelData.encode(0x4000, new byte[4], false), socket("198.51.100.20:40001"))).isNull();
        assertThat(relay.fromPeer(new byte[4], PEER, port + 1 > 65535 ? port - 1 : port + 1)).isNull();
    }

    @Test
    void channelCanBeReboundToAnotherPeerOnlyAfterExpiryAndCooldown() {
        allocate(new StunAttribute.Lifetime(3600));
        client.bindChannel(0x4000, PEER);
        long boundAt = relay.now;

        relay.advance(Duration.ofSeconds(601));

        assertThat(relay.server.pollTimeout()).isEqualTo(boundAt + Duration.ofSeconds(900).toNanos());
        assertThat(relay.fromClient(ChannelData.encode(0x4000, new byte[4], false), client.address)).isNull();
        assertThat(relay.server.boundChannelCount()).isZero();

        relay.advance(Duration.ofSeconds(301));
        assertSuccess(client.bindChannel(0x4000, socket("192.0.2.51:1")));
        assertThat(relay.server.pollTimeout()).isEqualTo(relay.nanosFromNow(Duration.ofSeconds(600)));
    }

    @Test
    void duringCooldownNeitherTheNumberNorThePeerCanBeReused() {
        allocate(new StunAttribute.Lifetime(3600));
        client.bindChannel(0x4000, PEER);
        relay.advance(Duration.ofSeconds(601));

        assertError(client.bindChannel(0x4000, socket("192.0.2.51:1")), 400);
        assertError(client.bindChannel(0x4001, PEER), 400);
    }

    @Test
    void rebindingTheSamePairDuringCooldownRevivesIt() {
        allocate(new StunAttribute.Lifetime(3600));
        client.bindChannel(0x4000, PEER);
        relay.advance(Duration.ofSeconds(601));

        assertSuccess(client.bindChannel(0x4000, PEER));

        assertThat(relay.fromPeer(new byte[4], PEER, port)).isNotNull();
        assertThat(relay.server.boundChannelCount()).isEqualTo(1);
    }

    @Test
    void rebindingBeforeExpiryExtendsTheChannel() {
        allocate(new StunAttribute.Lifetime(3600));
        client.bindChannel(0x4000, PEER);
        relay.advance(Duration.ofSeconds(300));
        client.bindChannel(0x4000, PEER);

        relay.advance(Duration.ofSeconds(599));

        assertThat(relay.fromPeer(new byte[4], PEER, port)).isNotNull();
    }

    @Test
    void numberAndPeerConflictsAreBadRequests() {
        allocate();
        client.bindChannel(0x4000, PEER);

        assertError(client.bindChannel(0x4000, socket("192.0.2.51:1")), 400);
        assertError(client.bindChannel(0x4001, PEER), 400);
    }

    @Test
    void peerOfAFamilyTheAllocationLacksIsAFamilyMismatch() {
        allocate();

        assertError(client.bindChannel(0x4000, socket("[2001:db8::50]:1")), 443);
    }

    @Test
    void channelBindWithoutAllocationIsAMismatch() {
        assertError(client.bindChannel(0x4000, PEER), 437);
    }

    @Test
    void channelBindWithoutNumberOrPeerIsABadRequest() {
        allocate();

        var withoutNumber = client.exchangeRaw(StunEncoder.encode(client.signed(StunMethod.CHANNEL_BIND,
                TransactionId.ofHex("0102030405060708090a0b0c"), new StunAttribute.XorPeerAddress(PEER)), MessageProtection.integrity(client.key())));
        var withoutPeer = client.exchangeRaw(StunEncoder.encode(client.signed(StunMethod.CHANNEL_BIND,
                TransactionId.ofHex("0102030405060708090a0b0d"), new StunAttribute.ChannelNumber(0x4000)), MessageProtection.integrity(client.key())));

        assertError(withoutNumber.message(), 400);
        assertError(withoutPeer.message(), 400);
        assertThat(withoutNumber.hasMessageIntegrity()).isFalse();
    }

    @Test
    void freeingAnAllocationClearsAllItsChannels() {
        allocate();
        client.bindChannel(0x4000, PEER);
        client.bindChannel(0x4001, socket("192.0.2.51:1"));

        client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(0));

        assertThat(relay.server.boundChannelCount()).isZero();
        assertThat(relay.fromPeer(new byte[4], PEER, port)).isNull();
    }

    @Test
    void expiredAllocationTakesItsChannelsWithIt() {
        allocate();
        client.bindChannel(0x4000, PEER);

        relay.advance(Duration.ofSeconds(600));

        assertThat(relay.server.boundChannelCount()).isZero();
        assertThat(relay.server.allocationCount()).isZero();
        assertThat(relay.server.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }
}
