package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The transport replay window in the tunnel: duplicates are dropped, reordering within the window is not. */
class ReplayAndReorderTest {
    @Test
    void aReplayedDataPacketIsDroppedAndCounted() {
        PeerPair pair = DataExchangeTest.establishedPair(60);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        PeerPair.Datagram original = pair.inFlight.removeLast();

        pair.deliver(original);
        pair.deliver(original);
        pair.deliver(original);

        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
        assertThat(pair.bob.drops().count(DropReason.REPLAYED_COUNTER)).isEqualTo(2);
    }

    @Test
    void packetsReorderedWithinTheWindowAllArriveOnce() {
        PeerPair pair = DataExchangeTest.establishedPair(61);
        pair.holdDatagrams = true;
        for (int sequence = 0; sequence < 3000; sequence++) {
            pair.aliceSends(TestPackets.ipv4(sequence, 60));
        }
        List<PeerPair.Datagram> shuffled = new ArrayList<>(pair.inFlight);
        pair.inFlight.clear();
        Collections.shuffle(shuffled, new Random(61));

        shuffled.forEach(pair::deliver);
        shuffled.forEach(pair::deliver);

        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 3000).boxed().toList());
        assertThat(pair.bob.drops().count(DropReason.REPLAYED_COUNTER)).isEqualTo(3000);
    }

    @Test
    void aPacketOlderThanTheWindowIsDroppedEvenIfNeverSeen() {
        PeerPair pair = DataExchangeTest.establishedPair(62);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(0, 60));
        PeerPair.Datagram old = pair.inFlight.removeLast();
        for (int sequence = 1; sequence <= ReplayWindow.WINDOW_SIZE + 1; sequence++) {
            pair.aliceSends(TestPackets.ipv4(sequence, 60));
        }

        pair.deliver(pair.inFlight.removeLast());
        pair.deliver(old);

        assertThat(pair.receivedByBob).hasSize(1);
        assertThat(pair.bob.drops().count(DropReason.REPLAYED_COUNTER)).isEqualTo(1);
    }

    @Test
    void aForgedPacketDoesNotMoveTheWindow() {
        PeerPair pair = DataExchangeTest.establishedPair(63);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        PeerPair.Datagram genuine = pair.inFlight.removeLast();
        byte[] forged = genuine.bytes().clone();
        Messages.putLong(forged, Messages.TRANSPORT_COUNTER, 1_000_000);

        pair.deliver(new PeerPair.Datagram(genuine.from(), genuine.to(), forged, pair.now));
        pair.deliver(genuine);

        assertThat(pair.bob.drops().count(DropReason.DECRYPTION_FAILED)).isEqualTo(1);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }
}
