package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A session that could not be replaced is unusable after REJECT_AFTER_TIME, in both directions. */
class RejectAfterTimeTest {
    @Test
    void noPacketIsSealedWithASessionOlderThanRejectAfterTime() {
        PeerPair pair = DataExchangeTest.establishedPair(30);
        pair.lose = datagram -> datagram.type() != Messages.TYPE_TRANSPORT;

        pair.advance(Protocol.REJECT_AFTER_TIME.minusMillis(1));
        boolean sentJustBefore = pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.advance(Duration.ofMillis(1));
        boolean sentAtExpiry = pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();

        assertThat(sentJustBefore).isTrue();
        assertThat(sentAtExpiry).isFalse();
        assertThat(pair.bobAtAlice.hasSession(pair.now)).isFalse();
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }

    @Test
    void dataSealedBeforeExpiryButArrivingAfterItIsDropped() {
        PeerPair pair = DataExchangeTest.establishedPair(31);
        pair.lose = datagram -> datagram.type() != Messages.TYPE_TRANSPORT;
        pair.advance(Protocol.REJECT_AFTER_TIME.minusSeconds(1));
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        PeerPair.Datagram delayed = pair.inFlight.removeLast();

        pair.advance(Duration.ofSeconds(2));
        pair.deliver(delayed);

        assertThat(pair.receivedByBob).isEmpty();
        assertThat(pair.bob.drops().count(DropReason.EXPIRED_SESSION)).isEqualTo(1);
    }

    @Test
    void packetsWaitingForANewSessionFlowOnceAHandshakeSucceedsAgain() {
        PeerPair pair = DataExchangeTest.establishedPair(32);
        pair.lose = datagram -> datagram.type() != Messages.TYPE_TRANSPORT;
        pair.advance(Protocol.REJECT_AFTER_TIME);
        pair.aliceSends(TestPackets.ipv4(1, 60));

        pair.lose = datagram -> false;
        pair.advance(Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX));

        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }

    @Test
    void allKeysAreErasedAfterThreeTimesRejectAfterTimeWithoutANewSession() {
        PeerPair pair = DataExchangeTest.establishedPair(33);
        pair.lose = datagram -> true;

        pair.advance(Protocol.REJECT_AFTER_TIME.multipliedBy(3).minusSeconds(1));
        boolean keysBefore = pair.bobAtAlice.currentKeypair() != null;
        pair.advance(Duration.ofSeconds(1));

        assertThat(keysBefore).isTrue();
        assertThat(pair.bobAtAlice.currentKeypair()).isNull();
        assertThat(pair.aliceAtBob.currentKeypair()).isNull();
        assertThat(pair.aliceEvents).contains(new WireGuardEvent.SessionsCleared(pair.bob.publicKey()));
        assertThat(pair.alice.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }
}
