package dev.zonewire.wireguard;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parsing of transport data: a fresh data message of an established session per input,
 * mutated, truncated, replayed or replaced by the fuzzer. The session is made once per run.
 */
class TransportFuzzTest {
    private static final PeerPair PAIR = DataExchangeTest.establishedPair(1001);

    static {
        PAIR.holdDatagrams = true;
    }

    @FuzzTest(maxDuration = "20s")
    void transportMessages(FuzzedDataProvider data) {
        PAIR.aliceSends(TestPackets.ipv4(2, data.consumeInt(20, 1420)));
        byte[] transport = PAIR.inFlight.removeLast().bytes();
        PAIR.sent.clear();

        FuzzedDatagrams.feed(PAIR.bob, FuzzedDatagrams.mutate(transport, data), PAIR);
    }
}
