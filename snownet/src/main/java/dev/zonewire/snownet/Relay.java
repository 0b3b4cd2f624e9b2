package dev.zonewire.snownet;

import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;

import java.util.Objects;

/** A TURN relay the portal told us about: its id, where it listens, and our credentials for it. */
public record Relay<R>(R id, RelayAddresses addresses, TurnCredentials credentials) {
    public Relay {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(credentials, "credentials");
    }
}
