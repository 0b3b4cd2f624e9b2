package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The first handshake between two peers, started by the first packet. */
class HandshakeTest {
    @Test
    void theFirstPacketStartsAHandshakeAndArrivesOnceItCompletes() {
        PeerPair pair = PeerPair.create(1);
        byte[] packet = TestPackets.ipv4(1, 100);

        boolean sentAtOnce = pair.aliceSends(packet);
        pair.deliverAll();

        assertThat(sentAtOnce).isFalse();
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(1);
        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE)).hasSize(1);
        assertThat(pair.receivedByBob).containsExactly(packet);
        assertThat(pair.aliceEvents).containsExactly(new WireGuardEvent.HandshakeCompleted(pair.bob.publicKey()));
        assertThat(pair.bobEvents).containsExactly(new WireGuardEvent.HandshakeCompleted(pair.alice.publicKey()));
        assertThat(pair.alice.drops().total()).isZero();
        assertThat(pair.bob.drops().total()).isZero();
    }

    @Test
    void messagesHaveTheProtocolsTypesAndLengths() {
        PeerPair pair = PeerPair.create(2);

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION).getFirst().bytes()).hasSize(148);
        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE).getFirst().bytes()).hasSize(92);
        assertThat(pair.sentOfType(Messages.TYPE_TRANSPORT).getFirst().bytes()).hasSize(16 + 64 + 16);
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION).getFirst().bytes()[1]).isZero();
    }

    @Test
    void theResponderSendsOnlyOnceTheInitiatorHasConfirmedTheSession() {
        PeerPair pair = PeerPair.create(3);
        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliver(pair.inFlight.removeFirst());

        boolean bobSentAtOnce = pair.bobSends(TestPackets.ipv4(2, 60));

        assertThat(bobSentAtOnce).isFalse();
        assertThat(pair.aliceAtBob.hasSession(pair.now)).isFalse();
        pair.deliverAll();
        assertThat(pair.aliceAtBob.hasSession(pair.now)).isTrue();
        assertThat(pair.receivedByAlice).extracting(TestPackets::sequenceOf).containsExactly(2);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }

    @Test
    void bothSidesReportTheHandshakeTimeAndMatchingByteCounters() {
        PeerPair pair = PeerPair.create(4);
        pair.advance(Duration.ofSeconds(30));

        pair.aliceSends(TestPackets.ipv4(1, 200));
        pair.deliverAll();
        pair.bobSends(TestPackets.ipv4(2, 300));
        pair.deliverAll();

        assertThat(pair.bobAtAlice.lastHandshake()).contains(PeerPair.WALL_CLOCK_AT_START.plusSeconds(30));
        assertThat(pair.aliceAtBob.lastHandshake()).contains(PeerPair.WALL_CLOCK_AT_START.plusSeconds(30));
        // The queued packet itself confirms the session, so no separate keepalive is sent.
        assertThat(pair.bobAtAlice.txBytes()).isEqualTo(pair.aliceAtBob.rxBytes()).isEqualTo(148 + 16 + 208 + 16);
        assertThat(pair.aliceAtBob.txBytes()).isEqualTo(pair.bobAtAlice.rxBytes()).isEqualTo(92 + 16 + 304 + 16);
    }

    @Test
    void aPeerWithoutAKnownEndpointIsReachedOnceItHasWrittenFirst() {
        PeerPair pair = PeerPair.builder(5).bobLearnsAliceEndpoint().build();

        boolean bobSentAtOnce = pair.bobSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(bobSentAtOnce).isFalse();
        assertThat(pair.bob.drops().count(DropReason.NO_ENDPOINT)).isEqualTo(1);
        pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();
        assertThat(pair.aliceAtBob.endpoint()).isEqualTo(PeerPair.ALICE_ADDRESS);
        assertThat(pair.receivedByAlice).extracting(TestPackets::sequenceOf).containsExactly(1);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(2);
    }

    @Test
    void aMatchingPresharedKeyIsMixedIntoTheHandshake() {
        PresharedKey psk = PresharedKey.generate(new SplittableRandom(6));
        PeerPair pair = PeerPair.builder(6).presharedKeys(psk, psk).build();

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.receivedByBob).hasSize(1);
    }

    @Test
    void initiationsCrossingEachOtherStillEndInOneWorkingSession() {
        PeerPair pair = PeerPair.create(7);

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.bobSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();
        pair.advance(Duration.ofSeconds(6));
        pair.aliceSends(TestPackets.ipv4(3, 60));
        pair.bobSends(TestPackets.ipv4(4, 60));
        pair.deliverAll();

        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1, 3);
        assertThat(pair.receivedByAlice).extracting(TestPackets::sequenceOf).containsExactly(2, 4);
    }

    @Test
    void atMost128PacketsWaitForAHandshakeAndTheOldestMakeRoom() {
        PeerPair pair = PeerPair.create(8);
        pair.holdDatagrams = true;

        for (int sequence = 0; sequence < 130; sequence++) {
            pair.aliceSends(TestPackets.ipv4(sequence, 60));
        }
        pair.holdDatagrams = false;
        pair.deliverAll();

        assertThat(pair.alice.drops().count(DropReason.STAGED_QUEUE_FULL)).isEqualTo(2);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(2, 130).boxed().toList());
    }
}
