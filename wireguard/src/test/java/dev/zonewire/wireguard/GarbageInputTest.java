package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Whatever arrives on the socket is dropped and counted under one reason, never thrown. */
class GarbageInputTest {
    @Test
    void eachKindOfMalformedDatagramHasItsOwnReason() {
        PeerPair pair = DataExchangeTest.establishedPair(100);
        PeerPair.Datagram data = pair.sentOfType(Messages.TYPE_TRANSPORT).getLast();
        PeerPair.Datagram initiation = pair.sentOfType(Messages.TYPE_INITIATION).getFirst();
        byte[] unknownIndex = data.bytes().clone();
        unknownIndex[4] ^= 1;
        byte[] wrongMac1 = initiation.bytes().clone();
        wrongMac1[Messages.mac1Offset(148)] ^= 1;
        byte[] nonZeroReserved = data.bytes().clone();
        nonZeroReserved[1] = 1;
        byte[] cookieReplyForNothing = new byte[Messages.COOKIE_REPLY_LENGTH];
        cookieReplyForNothing[0] = Messages.TYPE_COOKIE_REPLY;
        byte[] replayedResponse = pair.sentOfType(Messages.TYPE_RESPONSE).getFirst().bytes();

        assertDropped(pair.bob, new byte[0], DropReason.UNKNOWN_MESSAGE_TYPE);
        assertDropped(pair.bob, new byte[] {4, 0, 0}, DropReason.UNKNOWN_MESSAGE_TYPE);
        assertDropped(pair.bob, nonZeroReserved, DropReason.UNKNOWN_MESSAGE_TYPE);
        assertDropped(pair.bob, Arrays.copyOf(data.bytes(), 31), DropReason.INVALID_LENGTH);
        assertDropped(pair.bob, Arrays.copyOf(initiation.bytes(), 147), DropReason.INVALID_LENGTH);
        assertDropped(pair.bob, Arrays.copyOf(initiation.bytes(), 149), DropReason.INVALID_LENGTH);
        assertDropped(pair.bob, unknownIndex, DropReason.UNKNOWN_RECEIVER_INDEX);
        assertDropped(pair.bob, wrongMac1, DropReason.INVALID_MAC1);
        assertDropped(pair.bob, cookieReplyForNothing, DropReason.UNKNOWN_RECEIVER_INDEX);
        assertDropped(pair.bob, data.bytes(), DropReason.REPLAYED_COUNTER);
        assertDropped(pair.alice, replayedResponse, DropReason.UNEXPECTED_RESPONSE);
    }

    @Test
    void aCookieReplyThatDoesNotDecryptIsCounted() {
        PeerPair pair = PeerPair.create(101);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        byte[] initiation = pair.inFlight.removeLast().bytes();
        byte[] reply = new byte[Messages.COOKIE_REPLY_LENGTH];
        reply[0] = Messages.TYPE_COOKIE_REPLY;
        System.arraycopy(initiation, Messages.INITIATION_SENDER, reply, Messages.COOKIE_REPLY_RECEIVER, 4);

        pair.alice.decapsulate(ByteBuffer.wrap(reply), PeerPair.BOB_ADDRESS, pair.now);

        assertThat(pair.alice.drops().count(DropReason.INVALID_COOKIE_REPLY)).isEqualTo(1);
        assertThat(pair.bobAtAlice.cookieGenerator.hasFreshCookie(pair.now)).isFalse();
    }

    @Property(tries = 300)
    void randomBytesAreCountedAsExactlyOneDrop(@ForAll @Size(max = 1500) byte[] datagram,
                                                @ForAll @IntRange(min = 1, max = 4) int type) {
        PeerPair pair = PeerPair.create(102);
        if (datagram.length >= 4) {
            Messages.putInt(datagram, 0, type);
        }

        WireGuardPeer sender = pair.bob.decapsulate(ByteBuffer.wrap(datagram), PeerPair.ALICE_ADDRESS, pair.now);

        assertThat(sender).isNull();
        assertThat(pair.bob.drops().total()).isEqualTo(1);
    }

    private static void assertDropped(WireGuardTunnel tunnel, byte[] datagram, DropReason reason) {
        long before = tunnel.drops().count(reason);
        long totalBefore = tunnel.drops().total();

        WireGuardPeer sender = tunnel.decapsulate(ByteBuffer.wrap(datagram.clone()), PeerPair.ALICE_ADDRESS, PeerPair.START);

        assertThat(sender).isNull();
        assertThat(tunnel.drops().count(reason)).as(reason.name()).isEqualTo(before + 1);
        assertThat(tunnel.drops().total()).isEqualTo(totalBefore + 1);
    }
}
