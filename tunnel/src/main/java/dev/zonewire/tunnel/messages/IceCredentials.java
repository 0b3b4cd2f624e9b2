package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import java.util.Objects;

/** ICE username fragment and password; the password is a secret. JSON: {@code {"username","password"}}. */
public record IceCredentials(String username, Secret password) {

    public IceCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }
}
