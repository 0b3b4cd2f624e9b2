package dev.zonewire.snownet.ice;

import dev.zonewire.common.Secret;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An ICE username fragment and password (RFC 8445 section 5.3): the ufrag is public, the password
 * keys the short-term MESSAGE-INTEGRITY of connectivity checks and stays in a {@link Secret}.
 */
public record IceCredentials(String ufrag, Secret password) {
    /** The reference draws from a-z, A-Z and 0-9 without 'w' and 'W'. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvxyzABCDEFGHIJKLMNOPQRSTUVXYZ0123456789";
    private static final int UFRAG_LENGTH = 4;
    private static final int PASSWORD_LENGTH = 22;
    /** SDP allows up to 256 characters for both (RFC 8839 section 5.4). */
    private static final int MAX_LENGTH = 256;
    /**
     * One less for the ufrag: a check's USERNAME is both ufrags and a colon, and STUN carries at
     * most 512 bytes there; two of 256 would make checks that cannot be sent.
     */
    private static final int MAX_UFRAG_LENGTH = 255;

    public IceCredentials {
        if (!Candidate.isIceString(ufrag, MAX_UFRAG_LENGTH) || ufrag.length() < UFRAG_LENGTH) {
            throw new IllegalArgumentException("an ICE ufrag is 4-255 ice-chars");
        }
        Objects.requireNonNull(password, "password");
        if (!Candidate.isIceString(password.expose(), MAX_LENGTH) || password.length() < PASSWORD_LENGTH) {
            throw new IllegalArgumentException("an ICE password is 22-256 ice-chars (value hidden)");
        }
    }

    public static IceCredentials of(String ufrag, String password) {
        return new IceCredentials(ufrag, Secret.of(password));
    }

    /** Fresh credentials: a 4-character ufrag and a 22-character password. */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomString(random, UFRAG_LENGTH), Secret.of(randomString(random, PASSWORD_LENGTH)));
    }

    private static String randomString(RandomGenerator random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
