package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lost initiations are retried every REKEY_TIMEOUT plus jitter, until REKEY_ATTEMPT_TIME. */
class HandshakeRetryTest {
    @Test
    void aLostInitiationIsRetriedAndTheQueuedPacketFollowsTheHandshake() {
        PeerPair pair = PeerPair.create(50);
        pair.lose = datagram -> datagram.type() == Messages.TYPE_INITIATION && pair.sentOfType(Messages.TYPE_INITIATION).size() == 1;

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        pair.advance(Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX));

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(2);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }

    @Test
    void retriesComeAfterRekeyTimeoutWithUpTo333MillisecondsOfJitter() {
        PeerPair pair = PeerPair.create(51);
        pair.lose = datagram -> datagram.type() == Messages.TYPE_INITIATION;

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.advance(Duration.ofSeconds(60));

        List<Long> sentAt = pair.sentOfType(Messages.TYPE_INITIATION).stream().map(PeerPair.Datagram::sentAt).toList();
        List<Long> gaps = java.util.stream.IntStream.range(1, sentAt.size()).mapToObj(i -> sentAt.get(i) - sentAt.get(i - 1)).toList();
        assertThat(gaps).isNotEmpty().allSatisfy(gap -> assertThat(gap)
                .isBetween(Protocol.REKEY_TIMEOUT.toNanos(), Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX).toNanos()));
        assertThat(gaps.stream().distinct().count()).as("jitter varies").isGreaterThan(gaps.size() / 2);
    }

    @Test
    void retryingStopsAfterRekeyAttemptTimeAndTheQueuedPacketsAreDropped() {
        PeerPair pair = PeerPair.create(52);
        pair.lose = datagram -> datagram.type() == Messages.TYPE_INITIATION;

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.advance(Duration.ofMinutes(5));

        List<Long> sentAt = pair.sentOfType(Messages.TYPE_INITIATION).stream().map(PeerPair.Datagram::sentAt).toList();
        assertThat(sentAt.getLast() - sentAt.getFirst()).isLessThan(Protocol.REKEY_ATTEMPT_TIME.toNanos());
        assertThat(sentAt.getLast() - sentAt.getFirst())
                .isGreaterThan(Protocol.REKEY_ATTEMPT_TIME.minus(Protocol.REKEY_TIMEOUT).minus(Protocol.REKEY_TIMEOUT_JITTER_MAX).toNanos());
        assertThat(pair.aliceEvents).containsExactly(new WireGuardEvent.HandshakeAbandoned(pair.bob.publicKey()));
        assertThat(pair.alice.drops().count(DropReason.HANDSHAKE_TIMED_OUT)).isEqualTo(2);
        assertThat(pair.receivedByBob).isEmpty();
    }

    @Test
    void newTrafficAfterGivingUpStartsAFreshAttempt() {
        PeerPair pair = PeerPair.create(53);
        pair.lose = datagram -> datagram.type() == Messages.TYPE_INITIATION;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.advance(Duration.ofMinutes(2));
        int initiationsWhenGivenUp = pair.sentOfType(Messages.TYPE_INITIATION).size();

        pair.lose = datagram -> false;
        pair.aliceSends(TestPackets.ipv4(2, 60));
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_INITIATION)).hasSize(initiationsWhenGivenUp + 1);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(2);
    }
}
