package dev.zonewire.snownet.turn;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.RelayCredentials;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Long-term TURN credentials as the portal hands them out. Firezone's relays use realm
 * {@code firezone}; the password stays in a {@link Secret}.
 */
public record TurnCredentials(String username, Secret password, String realm) {
    public static final String FIREZONE_REALM = RelayCredentials.REALM;

    public TurnCredentials {
        // STUN's USERNAME carries at most 512 bytes: a longer one would only fail once signing starts.
        if (username == null || username.isEmpty() || username.getBytes(StandardCharsets.UTF_8).length > 512) {
            throw new IllegalArgumentException("a TURN username has 1-512 bytes");
        }
        Objects.requireNonNull(password, "password");
        if (realm == null || realm.isEmpty() || realm.length() > 127) {
            throw new IllegalArgumentException("a TURN realm has 1-127 characters");
        }
    }
}
