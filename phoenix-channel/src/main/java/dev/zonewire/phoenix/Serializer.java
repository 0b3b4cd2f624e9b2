package dev.zonewire.phoenix;

import java.util.Optional;

/**
 * Turns messages into WebSocket text frames and back. Decoding never throws: a frame that is not
 * a message comes back as {@link Decoded.Malformed} with a reason fit for a log line.
 */
public sealed interface Serializer permits V1JsonSerializer, V2JsonSerializer {
    String encode(Message message);

    Decoded decode(String frame);

    /** The {@code vsn} query parameter value that selects this serializer. */
    String vsn();

    /** The serializer for a {@code vsn} query parameter; a missing one means 1.0.0, as in Phoenix. */
    static Optional<Serializer> forVsn(String vsn) {
        if (vsn == null || vsn.startsWith("1.")) {
            return Optional.of(V1JsonSerializer.INSTANCE);
        }
        if (vsn.startsWith("2.")) {
            return Optional.of(V2JsonSerializer.INSTANCE);
        }
        return Optional.empty();
    }
}
