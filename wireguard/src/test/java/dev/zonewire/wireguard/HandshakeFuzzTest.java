package dev.zonewire.wireguard;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the parsing of handshake initiations, responses and cookie replies. Each input mutates a
 * real message of a pair of tunnels, optionally re-signing mac1 as anyone who knows the public key
 * can, so that the fuzzer reaches the decryption and replay checks; or replaces it outright.
 *
 * <p>The pair is made once per run: a handshake per input would cost far more than the parsing
 * under test. Earlier inputs can therefore change which reason a later one is dropped for (a
 * consumed response makes its copies unexpected), never whether the invariant holds.
 */
class HandshakeFuzzTest {
    private static final PeerPair PAIR = PeerPair.create(1000);
    private static final byte[] INITIATION;
    private static final byte[] RESPONSE;

    static {
        PAIR.holdDatagrams = true;
        PAIR.aliceSends(TestPackets.ipv4(1, 60));
        INITIATION = PAIR.inFlight.removeLast().bytes();
        PAIR.bob.decapsulate(ByteBuffer.wrap(INITIATION.clone()), PeerPair.ALICE_ADDRESS, PAIR.now);
        RESPONSE = PAIR.bob.pollTransmit().datagram();
    }

    @FuzzTest(maxDuration = "20s")
    void handshakeMessages(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> FuzzedDatagrams.feed(PAIR.bob,
                    FuzzedDatagrams.resign(FuzzedDatagrams.mutate(INITIATION, data), PAIR.bob, data), PAIR);
            case 1 -> FuzzedDatagrams.feed(PAIR.alice,
                    FuzzedDatagrams.resign(FuzzedDatagrams.mutate(RESPONSE, data), PAIR.alice, data), PAIR);
            default -> FuzzedDatagrams.feed(PAIR.alice,
                    FuzzedDatagrams.mutate(FuzzedDatagrams.cookieReplyTo(INITIATION), data), PAIR);
        }
    }
}
