package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Under load a responder answers handshakes that lack a valid mac2 with a cookie reply, and serves
 * an initiator again once it proves, with the cookie, that it receives at its address.
 */
class CookieUnderLoadTest {
    private static final InetSocketAddress FLOODER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9999);
    private static final TunnelSettings THREE_HANDSHAKES_A_SECOND = TunnelSettings.DEFAULTS.withUnderLoadHandshakesPerSecond(3);

    @Test
    void anInitiationUnderLoadGetsACookieReplyAndTheRetryWithTheCookieSucceeds() {
        PeerPair pair = PeerPair.builder(80).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 4);

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        assertThat(pair.bob.isUnderLoad(pair.now)).isTrue();
        assertThat(pair.sentOfType(Messages.TYPE_COOKIE_REPLY)).singleElement()
                .satisfies(reply -> assertThat(reply.to()).isEqualTo(PeerPair.ALICE_ADDRESS));
        assertThat(pair.bobAtAlice.cookieGenerator.hasFreshCookie(pair.now)).isTrue();
        assertThat(pair.receivedByBob).isEmpty();

        long retryAt = pair.alice.pollTimeout();
        pair.advanceTo(retryAt - Duration.ofMillis(1).toNanos());
        flood(pair, 4);
        assertThat(pair.bob.isUnderLoad(retryAt)).isTrue();
        pair.advance(Duration.ofSeconds(1));

        byte[] retry = pair.sentOfType(Messages.TYPE_INITIATION).get(1).bytes();
        assertThat(java.util.Arrays.copyOfRange(retry, 132, 148)).isNotEqualTo(new byte[16]);
        assertThat(pair.sentOfType(Messages.TYPE_COOKIE_REPLY)).hasSize(1);
        assertThat(pair.receivedByBob).extracting(TestPackets::sequenceOf).containsExactly(1);
    }

    @Test
    void withoutLoadNoCookieIsAskedFor() {
        PeerPair pair = PeerPair.builder(81).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 2);

        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();

        assertThat(pair.sentOfType(Messages.TYPE_COOKIE_REPLY)).isEmpty();
        assertThat(pair.receivedByBob).hasSize(1);
    }

    @Test
    void aCookieIsBoundToTheAddressItWasSentTo() {
        PeerPair pair = PeerPair.builder(82).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 4);
        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        pair.holdDatagrams = true;
        pair.advanceTo(pair.alice.pollTimeout());
        PeerPair.Datagram retry = pair.inFlight.removeLast();
        flood(pair, 4);

        long refusedBefore = pair.bob.drops().count(DropReason.COOKIE_REQUIRED);

        InetSocketAddress elsewhere = new InetSocketAddress(PeerPair.ALICE_ADDRESS.getAddress(), 40000);
        pair.bob.decapsulate(ByteBuffer.wrap(retry.bytes().clone()), elsewhere, pair.now);

        assertThat(pair.bob.drops().count(DropReason.COOKIE_REQUIRED)).isEqualTo(refusedBefore + 1);
        assertThat(pair.bob.pollTransmit().destination()).isEqualTo(elsewhere);
    }

    @Test
    void underLoadEachAddressIsRateLimitedEvenWithAValidCookie() {
        PeerPair pair = PeerPair.builder(83).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 4);
        pair.aliceSends(TestPackets.ipv4(1, 60));
        pair.deliverAll();
        long refusedBefore = pair.bob.drops().count(DropReason.HANDSHAKE_DECRYPTION_FAILED);

        for (int i = 0; i < 10; i++) {
            byte[] garbage = garbageInitiation(new SplittableRandom(i));
            pair.bobAtAlice.cookieGenerator.addMacs(garbage, pair.now);
            pair.bob.decapsulate(ByteBuffer.wrap(garbage), PeerPair.ALICE_ADDRESS, pair.now);
        }

        assertThat(pair.bob.drops().count(DropReason.RATE_LIMITED)).isEqualTo(6);
        assertThat(pair.bob.drops().count(DropReason.HANDSHAKE_DECRYPTION_FAILED) - refusedBefore).isEqualTo(4);
        assertThat(pair.bob.pollTimeout()).as("the address table is swept").isLessThan(Long.MAX_VALUE);
        pair.advance(Duration.ofSeconds(3));
        assertThat(pair.bob.pollTimeout()).as("and nothing is left to sweep").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void underLoadAHandshakeWithoutASourceAddressIsRefusedWithoutAReply() {
        PeerPair pair = PeerPair.builder(84).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 4);
        pair.holdDatagrams = true;
        pair.aliceSends(TestPackets.ipv4(1, 60));
        PeerPair.Datagram initiation = pair.inFlight.removeLast();
        long refusedBefore = pair.bob.drops().count(DropReason.COOKIE_REQUIRED);

        pair.bob.decapsulate(ByteBuffer.wrap(initiation.bytes()), null, pair.now);

        assertThat(pair.bob.drops().count(DropReason.COOKIE_REQUIRED)).isEqualTo(refusedBefore + 1);
        assertThat(pair.bob.pollTransmit()).isNull();
    }

    @Test
    void theLoadPassesASecondAfterTheFloodStops() {
        PeerPair pair = PeerPair.builder(85).bobSettings(THREE_HANDSHAKES_A_SECOND).build();
        flood(pair, 4);

        pair.advance(Protocol.UNDER_LOAD_AFTER_TIME);

        assertThat(pair.bob.isUnderLoad(pair.now)).isFalse();
    }

    /**
     * Initiations anyone who knows Bob's public key can make: a valid mac1 over random content. They
     * cost Bob a Diffie-Hellman each, which is what the cookie defence is for.
     */
    private static void flood(PeerPair pair, int count) {
        CookieGenerator attacker = new CookieGenerator(pair.bob.publicKey());
        SplittableRandom random = new SplittableRandom(count + pair.now);
        for (int i = 0; i < count; i++) {
            byte[] initiation = garbageInitiation(random);
            attacker.addMacs(initiation, pair.now);
            pair.bob.decapsulate(ByteBuffer.wrap(initiation), FLOODER, pair.now);
        }
        while (pair.bob.pollTransmit() != null) {
            // cookie replies to the flooder go nowhere
        }
    }

    private static byte[] garbageInitiation(SplittableRandom random) {
        byte[] initiation = new byte[Messages.INITIATION_LENGTH];
        random.nextBytes(initiation);
        Messages.putInt(initiation, 0, Messages.TYPE_INITIATION);
        return initiation;
    }
}
