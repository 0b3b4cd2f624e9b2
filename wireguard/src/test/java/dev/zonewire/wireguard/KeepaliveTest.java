package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keepalives: the passive one that acknowledges data, and the persistent one that holds NAT state. */
class KeepaliveTest {
    @Test
    void aPeerThatReceivedDataAndSentNothingSendsAKeepaliveAfterKeepaliveTimeout() {
        PeerPair pair = DataExchangeTest.establishedPair(40);
        long receivedAt = pair.now;
        int sentBefore = pair.sent.size();

        pair.advance(Protocol.KEEPALIVE_TIMEOUT.minusMillis(1));
        int sentJustBefore = pair.sent.size();
        pair.advance(Duration.ofMillis(1));

        assertThat(sentJustBefore).isEqualTo(sentBefore);
        List<PeerPair.Datagram> keepalives = pair.sent.subList(sentBefore, pair.sent.size());
        assertThat(keepalives).singleElement().satisfies(keepalive -> {
            assertThat(keepalive.from()).isEqualTo(PeerPair.BOB_ADDRESS);
            assertThat(keepalive.bytes()).hasSize(32);
        });
        assertThat(pair.now - receivedAt).isEqualTo(Protocol.KEEPALIVE_TIMEOUT.toNanos());
        assertThat(pair.alice.drops().total()).isZero();
    }

    @Test
    void aReplyWithDataMakesTheKeepaliveUnnecessary() {
        PeerPair pair = DataExchangeTest.establishedPair(41);
        pair.advance(Duration.ofSeconds(3));
        pair.bobSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        int sentAfterReply = pair.sent.size();

        pair.advance(Duration.ofSeconds(9));

        assertThat(pair.sent.subList(sentAfterReply, pair.sent.size()))
                .allSatisfy(datagram -> assertThat(datagram.from()).isEqualTo(PeerPair.ALICE_ADDRESS));
    }

    @Test
    void aSenderThatHearsNothingBackStartsANewHandshakeAfterKeepalivePlusRekeyTimeout() {
        PeerPair pair = DataExchangeTest.establishedPair(42);
        pair.bobSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        pair.lose = datagram -> datagram.from().equals(PeerPair.BOB_ADDRESS);
        int initiationsBefore = pair.sentOfType(Messages.TYPE_INITIATION).size();

        pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();
        pair.advance(Protocol.KEEPALIVE_TIMEOUT.plus(Protocol.REKEY_TIMEOUT).minusMillis(1));
        int initiationsBeforeDeadline = pair.sentOfType(Messages.TYPE_INITIATION).size();
        pair.advance(Protocol.REKEY_TIMEOUT_JITTER_MAX.plusMillis(1));

        assertThat(initiationsBeforeDeadline).isEqualTo(initiationsBefore);
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(initiationsBefore + 1);
    }

    @Test
    void persistentKeepaliveGoesOutEveryIntervalWhileIdle() {
        PeerPair pair = PeerPair.builder(43).alicePersistentKeepalive(Duration.ofSeconds(25)).build();
        pair.deliverAll();
        int sentAfterSetup = pair.sent.size();

        pair.advance(Duration.ofSeconds(100));

        List<PeerPair.Datagram> fromAlice = pair.sent.subList(sentAfterSetup, pair.sent.size()).stream()
                .filter(datagram -> datagram.from().equals(PeerPair.ALICE_ADDRESS)).toList();
        assertThat(fromAlice).hasSize(4).allSatisfy(datagram -> assertThat(datagram.bytes()).hasSize(32));
        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(1);
    }

    @Test
    void turningOnPersistentKeepaliveSendsAKeepaliveAtOnceWhichHandshakesIfNeeded() {
        PeerPair pair = PeerPair.create(44);

        pair.bobAtAlice.setPersistentKeepalive(Duration.ofSeconds(25), pair.now);
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(1);
        assertThat(pair.aliceAtBob.hasSession(pair.now)).isTrue();
        assertThat(pair.receivedByBob).isEmpty();
    }
}
