package dev.zonewire.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes both frame decoders with arbitrary text: they must return a result, never throw, and
 * whatever they accept must encode and decode again to the same message.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void v1DecoderHandlesAnyFrame(byte[] input) {
        checkDecoder(V1JsonSerializer.INSTANCE, new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "20s")
    void v2DecoderHandlesAnyFrame(byte[] input) {
        checkDecoder(V2JsonSerializer.INSTANCE, new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void checkDecoder(Serializer serializer, String frame) {
        Decoded decoded = serializer.decode(frame);

        assertThat(decoded).isNotNull();
        if (decoded instanceof Decoded.Ok(Message message)) {
            Decoded again = serializer.decode(serializer.encode(message));
            Message expected = serializer == V1JsonSerializer.INSTANCE
                    ? new Message(null, message.ref(), message.topic(), message.event(), message.payload())
                    : message;
            assertThat(again).isEqualTo(new Decoded.Ok(expected));
        }
    }
}
