package dev.zonewire.phoenix.client;

import java.time.Duration;
import java.util.Optional;

/** Why one connection attempt failed, as the driver reports it to {@link ChannelClient}. */
public sealed interface ConnectFailure {
    /** A short description for log lines; never contains the URL or the token. */
    String describe();

    /** The portal answered the upgrade with an HTTP status other than 101. */
    record HttpStatus(int status, Optional<Duration> retryAfter, String body) implements ConnectFailure {
        @Override
        public String describe() {
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip())
                    + retryAfter.map(d -> " (Retry-After " + d.toSeconds() + " s)").orElse("");
        }
    }

    /** No TCP connection could be made to any of the addresses. */
    record Unreachable(String reason) implements ConnectFailure {
        @Override
        public String describe() {
            return "cannot reach the portal: " + reason;
        }
    }

    /** TCP connected but TLS or the WebSocket handshake failed without an HTTP status. */
    record HandshakeFailed(String reason) implements ConnectFailure {
        @Override
        public String describe() {
            return "handshake failed: " + reason;
        }
    }
}
