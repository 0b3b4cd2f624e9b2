package dev.zonewire.relay;

import java.util.Locale;

/** Why a datagram was dropped; each reason has its own counter. */
public enum DropReason {
    EMPTY,
    NOT_STUN_OR_CHANNEL_DATA,
    MALFORMED_STUN,
    BAD_FINGERPRINT,
    UNEXPECTED_INDICATION,
    UNEXPECTED_RESPONSE,
    MALFORMED_CHANNEL_DATA,
    UNBOUND_CHANNEL,
    NO_CHANNEL_FOR_PEER,
    NO_ALLOCATION_ON_PORT,
    CLASSIC_CHANGE_REQUEST,
    OVERSIZED,
    SEND_FAILED;

    /** The metric label: lowercase with underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
