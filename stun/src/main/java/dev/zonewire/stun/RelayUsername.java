package dev.zonewire.stun;

import java.util.Optional;

/**
 * A Firezone relay username, {@code <expiry>:<salt>}: the expiry in Unix seconds (an unsigned
 * 64-bit number) and an opaque salt without ':'.
 */
public record RelayUsername(long expiryUnixSeconds, String salt) {

    public RelayUsername {
        if (salt == null || salt.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a salt must not contain ':'");
        }
    }

    /**
     * The username if it has exactly two ':'-separated parts and the first is an unsigned 64-bit
     * decimal number; empty otherwise (the relay then cannot derive a key).
     */
    public static Optional<RelayUsername> parse(String username) {
        int colon = username.indexOf(':');
        if (colon < 0 || username.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        try {
            long expiry = Long.parseUnsignedLong(username.substring(0, colon));
            return Optional.of(new RelayUsername(expiry, username.substring(colon + 1)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * True when the expiry lies before {@code nowUnixMillis}: a credential is valid up to and at
     * the first instant of its expiry second, as in Firezone's relay.
     */
    public boolean isExpiredAt(long nowUnixMillis) {
        return Long.compareUnsigned(expiryUnixSeconds, Math.ceilDiv(nowUnixMillis, 1000L)) < 0;
    }

    /** The canonical form the relay hashes: the expiry without sign or leading zeros. */
    @Override
    public String toString() {
        return Long.toUnsignedString(expiryUnixSeconds) + ":" + salt;
    }
}
