package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IP packets both ways over an established session. */
class DataExchangeTest {
    @Test
    void packetsOfEverySizeArriveIntactBothWays() {
        PeerPair pair = establishedPair(10);
        List<byte[]> toBob = new ArrayList<>();
        List<byte[]> toAlice = new ArrayList<>();

        for (int length = 20; length <= 1420; length += 7) {
            byte[] forBob = TestPackets.ipv4(length, length);
            byte[] forAlice = TestPackets.ipv6(length, Math.max(40, length));
            toBob.add(forBob);
            toAlice.add(forAlice);
            assertThat(pair.aliceSends(forBob)).isTrue();
            assertThat(pair.bobSends(forAlice)).isTrue();
        }
        pair.deliverAll();

        assertThat(pair.receivedByBob).containsExactlyElementsOf(toBob);
        assertThat(pair.receivedByAlice).containsExactlyElementsOf(toAlice);
        assertThat(pair.alice.drops().total() + pair.bob.drops().total()).isZero();
    }

    @Test
    void plaintextIsPaddedToSixteenBytesButNeverPastTheMtu() {
        PeerPair pair = establishedPair(11);
        int sentBefore = pair.sent.size();

        pair.aliceSends(TestPackets.ipv4(1, 21));
        pair.aliceSends(TestPackets.ipv4(2, 32));
        pair.aliceSends(TestPackets.ipv4(3, 1415));
        pair.aliceSends(TestPackets.ipv4(4, 1420));

        assertThat(pair.sent.subList(sentBefore, pair.sent.size()))
                .extracting(datagram -> datagram.bytes().length - 32)
                .containsExactly(32, 32, 1420, 1420);
    }

    @Test
    void theMtuThatCapsPaddingIsConfigurable() {
        PeerPair pair = PeerPair.builder(15).aliceSettings(TunnelSettings.DEFAULTS.withMtu(1270)).build();
        pair.aliceSends(TestPackets.ipv4(0, 40));
        pair.deliverAll();
        int sentBefore = pair.sent.size();

        pair.aliceSends(TestPackets.ipv4(1, 1265));
        pair.aliceSends(TestPackets.ipv4(2, 1250));
        pair.deliverAll();

        assertThat(pair.sent.subList(sentBefore, pair.sent.size()))
                .extracting(datagram -> datagram.bytes().length - 32)
                .containsExactly(1270, 1264);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(0, 1, 2);
    }

    @Test
    void directBuffersWorkLikeHeapBuffers() {
        PeerPair pair = establishedPair(12);
        byte[] packet = TestPackets.ipv4(5, 500);
        ByteBuffer buffer = ByteBuffer.allocateDirect(WireGuardTunnel.HEADROOM + packet.length + WireGuardTunnel.TAILROOM);
        buffer.position(WireGuardTunnel.HEADROOM).put(packet).flip().position(WireGuardTunnel.HEADROOM);

        boolean sealed = pair.alice.encapsulate(pair.bobAtAlice, buffer, pair.now);
        ByteBuffer datagram = ByteBuffer.allocateDirect(buffer.remaining()).put(buffer).flip();
        WireGuardPeer sender = pair.bob.decapsulate(datagram, PeerPair.ALICE_ADDRESS, pair.now);

        assertThat(sealed).isTrue();
        assertThat(sender).isSameAs(pair.aliceAtBob);
        byte[] received = new byte[datagram.remaining()];
        datagram.get(received);
        assertThat(received).isEqualTo(packet);
    }

    @Test
    void decryptedBytesThatAreNotAnIpPacketAreDroppedAndCounted() {
        PeerPair pair = establishedPair(13);
        byte[] notIp = new byte[64];
        notIp[0] = 0x20;

        pair.aliceSends(notIp);
        pair.deliverAll();

        assertThat(pair.receivedByBob).isEmpty();
        assertThat(pair.bob.drops().count(DropReason.INVALID_INNER_PACKET)).isEqualTo(1);
    }

    @Test
    void anIpv4PacketClaimingMoreBytesThanItCarriesIsDropped() {
        PeerPair pair = establishedPair(14);
        byte[] truncated = TestPackets.ipv4(1, 100);
        truncated[2] = 0x7f;

        pair.aliceSends(truncated);
        pair.deliverAll();

        assertThat(pair.receivedByBob).isEmpty();
        assertThat(pair.bob.drops().count(DropReason.INVALID_INNER_PACKET)).isEqualTo(1);
    }

    static PeerPair establishedPair(long seed) {
        PeerPair pair = PeerPair.create(seed);
        pair.aliceSends(TestPackets.ipv4(0, 40));
        pair.deliverAll();
        pair.receivedByBob.clear();
        return pair;
    }
}
