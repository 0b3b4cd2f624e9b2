package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sessions are replaced before they expire, without losing traffic. */
class RekeyTest {
    @Test
    void steadyTrafficRekeysEveryTwoMinutesWithoutLosingAPacket() {
        PeerPair pair = PeerPair.create(20);
        int packets = 0;

        // Bob sends half a tick after Alice: on a zero-latency network, two peers that always start
        // handshakes at the same instant cross each other's initiations forever.
        for (long millis = 0; millis < 10 * 60_000; millis += 250) {
            pair.advanceTo(PeerPair.START + millis * 1_000_000);
            pair.aliceSends(TestPackets.ipv4(packets, 100));
            pair.deliverAll();
            pair.advanceTo(PeerPair.START + (millis + 125) * 1_000_000);
            pair.bobSends(TestPackets.ipv4(packets, 120));
            pair.deliverAll();
            packets++;
        }

        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf)
                .containsExactlyElementsOf(IntStream.range(0, packets).boxed().toList());
        assertThat(pair.receivedByAlice).extracting(TestPackets::sequenceOf)
                .containsExactlyElementsOf(IntStream.range(0, packets).boxed().toList());
        assertThat(PeerPair.count(pair.aliceEvents, WireGuardEvent.HandshakeCompleted.class)).isBetween(5L, 6L);
        assertThat(pair.alice.drops().total() + pair.bob.drops().total()).isZero();
    }

    @Test
    void theInitiatorStartsARekeyWhenItSendsOnASessionOlderThanRekeyAfterTime() {
        PeerPair pair = DataExchangeTest.establishedPair(21);
        int initiationsBefore = pair.sentOfType(Messages.TYPE_INITIATION).size();

        pair.advance(Protocol.REKEY_AFTER_TIME);
        pair.aliceSends(TestPackets.ipv4(1, 60));
        int initiationsAtTwoMinutes = pair.sentOfType(Messages.TYPE_INITIATION).size();
        pair.advance(Duration.ofMillis(1));
        pair.aliceSends(TestPackets.ipv4(2, 60));

        assertThat(initiationsAtTwoMinutes).isEqualTo(initiationsBefore);
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(initiationsBefore + 1);
    }

    @Test
    void theResponderDoesNotRekeyOnTimeByItself() {
        PeerPair pair = DataExchangeTest.establishedPair(22);
        int initiationsBefore = pair.sentOfType(Messages.TYPE_INITIATION).size();

        pair.advance(Protocol.REKEY_AFTER_TIME.plusSeconds(1));
        pair.bobSends(TestPackets.ipv4(1, 60));

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(initiationsBefore);
    }

    @Test
    void theInitiatorRekeysOnReceivingWhenTheSessionNearsRejectAfterTime() {
        PeerPair pair = DataExchangeTest.establishedPair(23);
        pair.advance(Duration.ofSeconds(165));
        pair.bobSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        long initiationsAtLastMinute = pair.sentOfType(Messages.TYPE_INITIATION).size();

        pair.advance(Duration.ofSeconds(1));
        pair.bobSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();

        assertThat(initiationsAtLastMinute).isEqualTo(1);
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(2);
        assertThat(pair.receivedByAlice).hasSize(2);
    }

    @Test
    void sendingPastRekeyAfterMessagesStartsAHandshake() {
        PeerPair pair = DataExchangeTest.establishedPair(24);
        pair.advance(Protocol.REKEY_TIMEOUT);
        pair.bobAtAlice.currentKeypair().sendCounter = Protocol.REKEY_AFTER_MESSAGES;

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(2);
        assertThat(pair.receivedByBob).hasSize(1);
    }

    @Test
    void aSessionAtRejectAfterMessagesSendsNothingMoreAndWaitsForANewOne() {
        PeerPair pair = DataExchangeTest.establishedPair(25);
        pair.advance(Protocol.REKEY_TIMEOUT);
        pair.bobAtAlice.currentKeypair().sendCounter = Protocol.REJECT_AFTER_MESSAGES;

        boolean sentAtOnce = pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(sentAtOnce).isFalse();
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
        assertThat(pair.bobAtAlice.currentKeypair().sendCounter).isLessThan(10);
    }

    @Test
    void theReceiverRefusesCountersAtRejectAfterMessages() {
        ReplayWindow window = new ReplayWindow();

        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES)).isFalse();
        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES - 1)).isTrue();
        assertThat(window.accept(-1L)).isFalse();
    }

    @Test
    void rotationKeepsThePreviousSessionToReadLatePackets() {
        PeerPair pair = DataExchangeTest.establishedPair(26);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        PeerPair.Datagram late = pair.inFlight.removeLast();
        pair.holdDatagrams = false;
        pair.advance(Protocol.REKEY_AFTER_TIME.plusSeconds(1));
        pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();
        Keypair previous = pair.aliceAtBob.previousKeypair();

        pair.deliver(late);

        assertThat(previous).isNotNull();
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(2, 1);
    }
}
