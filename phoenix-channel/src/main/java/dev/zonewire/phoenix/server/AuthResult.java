package dev.zonewire.phoenix.server;

import java.time.Duration;
import java.util.Optional;

/** The decision about one upgrade: an identity for the socket, or an HTTP refusal. */
public sealed interface AuthResult<I> {
    record Accepted<I>(I identity) implements AuthResult<I> {}

    /** Refuses the upgrade with {@code status} and a plain-text body, e.g. 401 "Invalid token". */
    record Refused<I>(int status, String body, Optional<Duration> retryAfter) implements AuthResult<I> {
        public Refused {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a refusal is a 4xx or 5xx status, got " + status);
            }
        }
    }

    static <I> AuthResult<I> accept(I identity) {
        return new Accepted<>(identity);
    }

    static <I> AuthResult<I> refuse(int status, String body) {
        return new Refused<>(status, body, Optional.empty());
    }
}
