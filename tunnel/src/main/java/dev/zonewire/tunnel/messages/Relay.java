package dev.zonewire.tunnel.messages;

import dev.zonewire.common.Secret;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.UUID;

/**
 * A relay descriptor, one per address family: a dual-stack relay arrives as two entries with the same
 * id. The portal only sends {@code turn}; {@code stun} entries are parsed and ignored by the tunnel.
 */
public sealed interface Relay {

    UUID id();

    InetSocketAddress address();

    /** {@code expiresAt} is the credential expiry in Unix seconds; the password is a secret. */
    record Turn(UUID id, InetSocketAddress address, String username, Secret password, long expiresAt) implements Relay {
        public Turn {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    record Stun(UUID id, InetSocketAddress address) implements Relay {
        public Stun {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
        }
    }
}
