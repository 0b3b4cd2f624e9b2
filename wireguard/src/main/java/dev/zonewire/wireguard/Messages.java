package dev.zonewire.wireguard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The four WireGuard message layouts (all integers little-endian) and how a datagram is classified. */
final class Messages {
    static final int NOT_A_MESSAGE = 0;
    static final int TYPE_INITIATION = 1;
    static final int TYPE_RESPONSE = 2;
    static final int TYPE_COOKIE_REPLY = 3;
    static final int TYPE_TRANSPORT = 4;

    static final int INITIATION_LENGTH = 148;
    static final int INITIATION_SENDER = 4;
    static final int INITIATION_EPHEMERAL = 8;
    static final int INITIATION_STATIC = 40;
    static final int INITIATION_STATIC_LENGTH = 32 + ChaCha20Poly1305.TAG_LENGTH;
    static final int INITIATION_TIMESTAMP = 88;
    static final int INITIATION_TIMESTAMP_LENGTH = Tai64n.LENGTH + ChaCha20Poly1305.TAG_LENGTH;

    static final int RESPONSE_LENGTH = 92;
    static final int RESPONSE_SENDER = 4;
    static final int RESPONSE_RECEIVER = 8;
    static final int RESPONSE_EPHEMERAL = 12;
    static final int RESPONSE_EMPTY = 44;

    static final int COOKIE_REPLY_LENGTH = 64;
    static final int COOKIE_REPLY_RECEIVER = 4;
    static final int COOKIE_REPLY_NONCE = 8;
    static final int COOKIE_REPLY_COOKIE = 32;
    static final int COOKIE_REPLY_COOKIE_LENGTH = Blake2s.MAC_LENGTH + ChaCha20Poly1305.TAG_LENGTH;

    static final int TRANSPORT_RECEIVER = 4;
    static final int TRANSPORT_COUNTER = 8;
    static final int TRANSPORT_HEADER_LENGTH = 16;
    /** A keepalive: a header and the tag of an empty plaintext. */
    static final int TRANSPORT_MIN_LENGTH = TRANSPORT_HEADER_LENGTH + ChaCha20Poly1305.TAG_LENGTH;

    /** mac1 and mac2 close both handshake messages. */
    static int mac1Offset(int messageLength) {
        return messageLength - 2 * Blake2s.MAC_LENGTH;
    }

    static int mac2Offset(int messageLength) {
        return messageLength - Blake2s.MAC_LENGTH;
    }

    /**
     * The message type of {@code length} bytes at {@code offset}, or {@link #NOT_A_MESSAGE}. The type
     * is one byte followed by three zero bytes, and each handshake message has an exact length.
     */
    static int classify(byte[] datagram, int offset, int length) {
        if (length < 4) {
            return NOT_A_MESSAGE;
        }
        int type = getInt(datagram, offset);
        boolean lengthFits = switch (type) {
            case TYPE_INITIATION -> length == INITIATION_LENGTH;
            case TYPE_RESPONSE -> length == RESPONSE_LENGTH;
            case TYPE_COOKIE_REPLY -> length == COOKIE_REPLY_LENGTH;
            case TYPE_TRANSPORT -> length >= TRANSPORT_MIN_LENGTH;
            default -> false;
        };
        return lengthFits ? type : NOT_A_MESSAGE;
    }

    /** True when the first four bytes name a message type, whatever the length. */
    static boolean isKnownType(byte[] datagram, int offset, int length) {
        if (length < 4) {
            return false;
        }
        int type = getInt(datagram, offset);
        return type >= TYPE_INITIATION && type <= TYPE_TRANSPORT;
    }

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static int getInt(byte[] bytes, int offset) {
        return (int) INT_LE.get(bytes, offset);
    }

    static void putInt(byte[] bytes, int offset, int value) {
        INT_LE.set(bytes, offset, value);
    }

    static long getLong(byte[] bytes, int offset) {
        return (long) LONG_LE.get(bytes, offset);
    }

    static void putLong(byte[] bytes, int offset, long value) {
        LONG_LE.set(bytes, offset, value);
    }

    private Messages() {}
}
