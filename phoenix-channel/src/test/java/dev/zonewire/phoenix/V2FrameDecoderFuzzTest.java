package dev.zonewire.phoenix;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the V2 (JSON array) frame decoder, the JavaScript client's default. */
class V2FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void decoderHandlesAnyFrame(byte[] input) {
        DecoderCheck.check(V2JsonSerializer.INSTANCE, input);
    }
}
