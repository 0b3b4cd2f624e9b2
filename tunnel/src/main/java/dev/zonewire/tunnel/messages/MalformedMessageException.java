package dev.zonewire.tunnel.messages;

/**
 * A portal message that does not have the shape its event requires. The message names the offending
 * field by its JSON path (for example {@code client.public_key}) and never repeats a field's value.
 */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
