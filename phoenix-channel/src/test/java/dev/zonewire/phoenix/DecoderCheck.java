package dev.zonewire.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** What the fuzz tests require of a decoder, for any input. */
final class DecoderCheck {
    private DecoderCheck() {}

    /**
     * Decoding returns a result and never throws; whatever is accepted encodes and decodes again
     * to the same message (V1 drops the join_ref it never writes).
     */
    static void check(Serializer serializer, byte[] input) {
        Decoded decoded = serializer.decode(new String(input, StandardCharsets.UTF_8));

        assertThat(decoded).isNotNull();
        if (decoded instanceof Decoded.Ok(Message message)) {
            Message expected = serializer == V1JsonSerializer.INSTANCE
                    ? new Message(null, message.ref(), message.topic(), message.event(), message.payload())
                    : message;
            assertThat(serializer.decode(serializer.encode(message))).isEqualTo(new Decoded.Ok(expected));
        }
    }
}
