package dev.zonewire.wireguard;

import java.time.Duration;

/** The constants of the WireGuard whitepaper (section 6.1) and the few wireguard-go adds. */
public final class Protocol {
    /** Start a new handshake once a session has sent this many messages. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** 2^64 - 2^13 - 1 as an unsigned 64-bit counter: no message is sent or accepted at or beyond it. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);
    public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);
    public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);
    public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    /** Every REKEY_TIMEOUT retry waits up to this much longer, so that peers do not retry in lockstep. */
    public static final Duration REKEY_TIMEOUT_JITTER_MAX = Duration.ofMillis(333);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** A received cookie is used for mac2 this long; the responder's cookie secret lives as long. */
    public static final Duration COOKIE_REFRESH_TIME = Duration.ofSeconds(120);
    /** A responder accepts at most one initiation per peer in this interval (50 a second). */
    public static final Duration HANDSHAKE_INITIATION_RATE = Duration.ofMillis(20);
    /** Once under load, the tunnel stays under load at least this long. */
    public static final Duration UNDER_LOAD_AFTER_TIME = Duration.ofSeconds(1);

    /** Transport plaintext is padded to a multiple of this many bytes. */
    public static final int PADDING_MULTIPLE = 16;

    static final long REKEY_AFTER_TIME_NANOS = REKEY_AFTER_TIME.toNanos();
    static final long REJECT_AFTER_TIME_NANOS = REJECT_AFTER_TIME.toNanos();
    static final long REKEY_ATTEMPT_TIME_NANOS = REKEY_ATTEMPT_TIME.toNanos();
    static final long REKEY_TIMEOUT_NANOS = REKEY_TIMEOUT.toNanos();
    static final long REKEY_TIMEOUT_JITTER_BOUND_NANOS = REKEY_TIMEOUT_JITTER_MAX.toNanos() + 1;
    static final long KEEPALIVE_TIMEOUT_NANOS = KEEPALIVE_TIMEOUT.toNanos();
    static final long COOKIE_REFRESH_TIME_NANOS = COOKIE_REFRESH_TIME.toNanos();
    static final long HANDSHAKE_INITIATION_RATE_NANOS = HANDSHAKE_INITIATION_RATE.toNanos();
    static final long UNDER_LOAD_AFTER_TIME_NANOS = UNDER_LOAD_AFTER_TIME.toNanos();

    private Protocol() {}
}
