package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A responder accepts an initiation only with a newer timestamp, and at most one per 20 ms. */
class HandshakeReplayTest {
    @Test
    void aReplayedInitiationIsRefusedByItsTimestamp() {
        PeerPair pair = DataExchangeTest.establishedPair(70);
        PeerPair.Datagram initiation = pair.sentOfType(Messages.TYPE_INITIATION).getFirst();
        pair.advance(Duration.ofSeconds(1));

        pair.deliver(initiation);

        assertThat(pair.bob.drops().count(DropReason.REPLAYED_HANDSHAKE)).isEqualTo(1);
        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE)).hasSize(1);
        assertThat(pair.aliceAtBob.hasSession(pair.now)).isTrue();
    }

    @Test
    void aSecondInitiationWithin20MillisecondsIsAFloodButOneLaterIsAccepted() {
        PeerPair pair = DataExchangeTest.establishedPair(71);
        pair.advance(Protocol.REKEY_TIMEOUT);
        pair.holdDatagrams = true;

        byte[] first = initiationFromAliceRestartedAt(pair, pair.now);
        byte[] tooSoon = initiationFromAliceRestartedAt(pair, pair.now + Duration.ofMillis(17).toNanos());
        byte[] later = initiationFromAliceRestartedAt(pair, pair.now + Duration.ofMillis(40).toNanos());
        deliverToBob(pair, first, pair.now);
        deliverToBob(pair, tooSoon, pair.now + Duration.ofMillis(17).toNanos());
        deliverToBob(pair, later, pair.now + Duration.ofMillis(40).toNanos());

        assertThat(pair.bob.drops().count(DropReason.HANDSHAKE_FLOOD)).isEqualTo(1);
        assertThat(pair.bob.drops().total()).isEqualTo(1);
    }

    /** An initiation from a fresh tunnel with Alice's key, as after a restart of her process. */
    private static byte[] initiationFromAliceRestartedAt(PeerPair pair, long now) {
        WireGuardTunnel restarted = new WireGuardTunnel(pair.alice.privateKey(), TunnelSettings.DEFAULTS,
                new SplittableRandom(now), PeerPair.WALL_CLOCK_AT_START, PeerPair.START);
        WireGuardPeer bob = restarted.addPeer(PeerConfig.of(pair.bob.publicKey()).withEndpoint(PeerPair.BOB_ADDRESS), now);
        ByteBuffer packet = ByteBuffer.allocate(WireGuardTunnel.HEADROOM + 40 + WireGuardTunnel.TAILROOM);
        packet.position(WireGuardTunnel.HEADROOM).put(TestPackets.ipv4(1, 40)).flip().position(WireGuardTunnel.HEADROOM);
        restarted.encapsulate(bob, packet, now);
        return restarted.pollTransmit().datagram();
    }

    private static void deliverToBob(PeerPair pair, byte[] datagram, long now) {
        pair.bob.decapsulate(ByteBuffer.wrap(datagram), PeerPair.ALICE_ADDRESS, now);
    }
}
