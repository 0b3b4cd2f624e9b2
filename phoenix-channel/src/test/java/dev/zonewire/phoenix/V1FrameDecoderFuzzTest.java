package dev.zonewire.phoenix;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the V1 (JSON object) frame decoder, the one Firezone's components and our client use. */
class V1FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void decoderHandlesAnyFrame(byte[] input) {
        DecoderCheck.check(V1JsonSerializer.INSTANCE, input);
    }
}
