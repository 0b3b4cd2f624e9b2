package dev.zonewire.tunnel.messages;

/**
 * The outcome of decoding one portal message: the typed message, an event this side does not know
 * (skipped, as the reference does, so newer portals stay compatible), or a malformed payload with the
 * reason. Decoding never throws.
 */
public sealed interface Decoded<T> {

    record Message<T>(T message) implements Decoded<T> {}

    record UnknownEvent<T>(String event) implements Decoded<T> {}

    record Malformed<T>(String event, String reason) implements Decoded<T> {}
}
