package dev.zonewire.stun;

import dev.zonewire.common.Secret;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A Firezone relay's stamp secret: the text that goes into every TURN password of that relay.
 * A relay makes it as 32 random bytes written as 64 lowercase hex characters; that text itself
 * (not the bytes) is the secret, and any text works (the portal's test vectors use a UUID).
 */
public final class StampSecret {
    private final Secret text;

    private StampSecret(Secret text) {
        this.text = text;
    }

    public static StampSecret generate(RandomGenerator random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new StampSecret(Secret.of(HexFormat.of().formatHex(bytes)));
    }

    public static StampSecret of(Secret text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a stamp secret cannot be empty");
        }
        return new StampSecret(text);
    }

    /** The secret text, e.g. for the relay's portal join or its state file. */
    public Secret text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StampSecret that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "StampSecret[redacted]";
    }
}
