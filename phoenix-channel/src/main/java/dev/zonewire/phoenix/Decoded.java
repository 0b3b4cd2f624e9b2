package dev.zonewire.phoenix;

/** The result of decoding one frame. */
public sealed interface Decoded {
    record Ok(Message message) implements Decoded {}

    /** The frame is not a valid message; {@code reason} never quotes the frame itself. */
    record Malformed(String reason) implements Decoded {}
}
