package dev.zonewire.ippacket;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parser and everything built on it with arbitrary bytes. The seed corpus (kernel
 * captures and hand-made edge cases) is replayed on every build; {@code -Pfuzz} explores.
 */
class IpPacketFuzzTest {

    private final PacketExerciser exerciser = new PacketExerciser();

    @FuzzTest(maxDuration = "20s")
    void anyBytesParseToAStatusAndSurviveEveryOperation(byte[] data) {
        exerciser.exercise(data);
    }
}
