package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A handshake with the wrong static or preshared key never yields a session. */
class WrongKeysTest {
    @Test
    void anInitiationForAnotherPublicKeyFailsMac1() {
        PeerPair pair = PeerPair.create(90);
        WireGuardPeer impostor = pair.alice.addPeer(PeerConfig.of(PrivateKey.generate(new SplittableRandom(1)).publicKey())
                .withEndpoint(PeerPair.BOB_ADDRESS), pair.now);
        ByteBuffer packet = ByteBuffer.allocate(WireGuardTunnel.HEADROOM + 60 + WireGuardTunnel.TAILROOM);
        packet.position(WireGuardTunnel.HEADROOM).put(TestPackets.ipv4(1, 60)).flip().position(WireGuardTunnel.HEADROOM);

        pair.alice.encapsulate(impostor, packet, pair.now);
        pair.deliverAll();

        assertThat(pair.bob.drops().count(DropReason.INVALID_MAC1)).isEqualTo(1);
        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE)).isEmpty();
    }

    @Test
    void anInitiationFromAnUnknownPeerIsRefused() {
        PeerPair pair = PeerPair.create(91);
        pair.bob.removePeer(pair.alice.publicKey());

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.bob.drops().count(DropReason.UNKNOWN_PEER)).isEqualTo(1);
        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE)).isEmpty();
    }

    @Test
    void aDifferentPresharedKeyMakesTheInitiatorRefuseTheResponse() {
        SplittableRandom random = new SplittableRandom(92);
        PeerPair pair = PeerPair.builder(92)
                .presharedKeys(PresharedKey.generate(random), PresharedKey.generate(random)).build();

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_RESPONSE)).hasSize(1);
        assertThat(pair.alice.drops().count(DropReason.HANDSHAKE_DECRYPTION_FAILED)).isEqualTo(1);
        assertThat(pair.bobAtAlice.hasSession(pair.now)).isFalse();
        assertThat(pair.receivedByBob).isEmpty();
    }

    @Test
    void aPresharedKeyOnOneSideOnlyIsAMismatchToo() {
        PeerPair pair = PeerPair.builder(93)
                .presharedKeys(PresharedKey.NONE, PresharedKey.generate(new SplittableRandom(93))).build();

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.alice.drops().count(DropReason.HANDSHAKE_DECRYPTION_FAILED)).isEqualTo(1);
        assertThat(pair.receivedByBob).isEmpty();
    }

    @Test
    void aPeerThatChangedItsPrivateKeyIsNoLongerRecognised() {
        PeerPair pair = DataExchangeTest.establishedPair(94);
        pair.alice.setPrivateKey(PrivateKey.generate(new SplittableRandom(-94)));

        pair.advance(Protocol.REKEY_TIMEOUT);
        boolean sentAtOnce = pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(sentAtOnce).isFalse();
        assertThat(pair.bob.drops().count(DropReason.UNKNOWN_PEER)).isEqualTo(1);
        assertThat(pair.receivedByBob).isEmpty();
    }

    @Test
    void aPeerWhosePublicKeyHasSmallOrderIsNeverHandshakedWith() {
        PeerPair pair = PeerPair.create(95);
        WireGuardPeer broken = pair.alice.addPeer(PeerConfig.of(PublicKey.fromBytes(new byte[32]))
                .withEndpoint(PeerPair.BOB_ADDRESS), pair.now);
        ByteBuffer packet = ByteBuffer.allocate(WireGuardTunnel.HEADROOM + 60 + WireGuardTunnel.TAILROOM);
        packet.position(WireGuardTunnel.HEADROOM).put(TestPackets.ipv4(1, 60)).flip().position(WireGuardTunnel.HEADROOM);

        boolean sent = pair.alice.encapsulate(broken, packet, pair.now);

        assertThat(sent).isFalse();
        assertThat(pair.alice.pollTransmit()).isNull();
    }
}
