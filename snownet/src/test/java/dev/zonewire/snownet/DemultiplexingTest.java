package dev.zonewire.snownet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The first-byte rule: what a datagram on the shared socket is taken to be, by its first byte and its sender. */
class DemultiplexingTest {
    static final InetSocketAddress LOCAL = address("10.0.2.105", 52625);
    static final InetSocketAddress RELAY = address("198.51.100.101", 3478);
    static final InetSocketAddress PEER = address("198.51.100.2", 40000);

    private final SplittableRandom random = new SplittableRandom(5);
    private final Node<String, String> node = new Node<>(NodeRole.GATEWAY, random, Instant.EPOCH, 0);

    private Decapsulated<String> receive(InetSocketAddress local, InetSocketAddress from, byte[] bytes) {
        return node.decapsulate(local, from, ByteBuffer.wrap(bytes), 1);
    }

    private void knowRelay() {
        node.updateRelays(List.of(), List.of(new Relay<>("relay", RelayAddresses.of(RELAY),
                new TurnCredentials("1:salt", Secret.of("password"), "firezone"))), 0);
        while (node.pollTransmit() != null) {
            // the BINDING the allocation starts with
        }
    }

    @Test
    void aDatagramLongerThanTheLargestPayloadIsDropped() {
        assertThat(receive(LOCAL, PEER, new byte[Node.MAX_DATAGRAM_PAYLOAD + 1]))
                .isEqualTo(new Decapsulated.Dropped<>(DropReason.DATAGRAM_TOO_LARGE));
    }

    @Test
    void aDatagramOnAnAddressThatCannotBeACandidateIsDropped() {
        assertThat(receive(address("0.0.0.0", 5), PEER, new byte[8])).isEqualTo(new Decapsulated.Dropped<>(DropReason.BAD_LOCAL_ADDRESS));
        assertThat(receive(address("169.254.1.1", 5), PEER, new byte[8])).isEqualTo(new Decapsulated.Dropped<>(DropReason.BAD_LOCAL_ADDRESS));
        assertThat(node.drops()).containsEntry(DropReason.BAD_LOCAL_ADDRESS, 2L);
    }

    @Test
    void firstBytesZeroToThreeFromARelayAreItsTurnTraffic() {
        knowRelay();

        assertThat(receive(LOCAL, RELAY, new byte[] {1, 0, 0, 0, 9, 9})).isInstanceOf(Decapsulated.Handled.class);
        assertThat(node.drops()).isEmpty();
    }

    @Test
    void theSameBytesFromAnyoneElseGoToWireGuard() {
        knowRelay();

        assertThat(receive(LOCAL, PEER, new byte[] {1, 0, 0, 0, 9, 9}))
                .isEqualTo(new Decapsulated.Dropped<>(DropReason.REJECTED_BY_WIREGUARD));
    }

    @Test
    void channelDataFromARelayOnAnUnboundChannelIsDropped() {
        knowRelay();

        assertThat(receive(LOCAL, RELAY, new byte[] {0x40, 0x00, 0x00, 0x01, 7}))
                .isEqualTo(new Decapsulated.Dropped<>(DropReason.BAD_CHANNEL_DATA));
    }

    @Test
    void whatLooksLikeChannelDataFromAPeerIsNotTakenForIt() {
        knowRelay();

        assertThat(receive(LOCAL, PEER, new byte[] {0x40, 0x00, 0x00, 0x01, 7}))
                .isEqualTo(new Decapsulated.Dropped<>(DropReason.REJECTED_BY_WIREGUARD));
    }

    @Test
    void aStunMessageNoConnectionWantsIsUnhandled() {
        byte[] binding = StunEncoder.encode(StunMessage.request(StunMethod.BINDING, TransactionId.random(random))
                .add(new StunAttribute.Username("abcd:efgh")).build());

        assertThat(receive(LOCAL, PEER, binding)).isEqualTo(new Decapsulated.Dropped<>(DropReason.UNHANDLED_STUN));
    }

    @Test
    void theAddressADatagramArrivedOnBecomesAHostCandidateOfEveryConnection() {
        node.upsertConnection("peer", PrivateKey.generate(random).publicKey(), PresharedKey.generate(random),
                IceCredentials.random(random), IceCredentials.random(random), 0);
        drainEvents();

        receive(LOCAL, PEER, new byte[] {9});

        assertThat(drainEvents()).containsExactly(new NodeEvent.NewIceCandidate<>("peer",
                "candidate:" + dev.zonewire.snownet.ice.Candidate.host(LOCAL).foundation() + " 1 udp 2130706175 10.0.2.105 52625 typ host"));
    }

    private List<NodeEvent<String>> drainEvents() {
        List<NodeEvent<String>> events = new java.util.ArrayList<>();
        for (NodeEvent<String> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            events.add(event);
        }
        return events;
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
