package dev.zonewire.wireguard;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The responder's side of the cookie mechanism (whitepaper section 5.4.7): it checks mac1 on every
 * handshake message, and under load checks mac2 against a cookie bound to the sender's address,
 * answering a message without a valid mac2 with a cookie reply instead of doing any Diffie-Hellman.
 */
final class CookieChecker {
    private final byte[] mac1Key;
    private final byte[] cookieEncryptionKey;
    private final byte[] secret = new byte[Blake2s.HASH_LENGTH];
    private boolean secretSet;
    private long secretSetAt;

    CookieChecker(PublicKey ourPublicKey) {
        this.mac1Key = Blake2s.hash(Noise.LABEL_MAC1, ourPublicKey.unsafeBytes());
        this.cookieEncryptionKey = Blake2s.hash(Noise.LABEL_COOKIE, ourPublicKey.unsafeBytes());
    }

    /** mac1 proves the sender knows our public key; everything else about the message is unverified. */
    boolean isMac1Valid(byte[] message, int length) {
        byte[] expected = new byte[Blake2s.MAC_LENGTH];
        int mac1 = Messages.mac1Offset(length);
        Blake2s.mac(mac1Key, message, 0, mac1, expected, 0);
        return equalInConstantTime(expected, message, mac1);
    }

    /** mac2 proves the sender received a cookie we sent to its address in the last two minutes. */
    boolean isMac2Valid(byte[] message, int length, InetSocketAddress source, long now) {
        if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME_NANOS) {
            return false;
        }
        byte[] cookie = cookieFor(source);
        byte[] expected = new byte[Blake2s.MAC_LENGTH];
        int mac2 = Messages.mac2Offset(length);
        Blake2s.mac(cookie, message, 0, mac2, expected, 0);
        return equalInConstantTime(expected, message, mac2);
    }

    /** A cookie reply to the handshake message {@code message} received from {@code source}. */
    byte[] createReply(byte[] message, int length, InetSocketAddress source, long now, RandomGenerator random) {
        if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME_NANOS) {
            random.nextBytes(secret);
            secretSet = true;
            secretSetAt = now;
        }
        byte[] nonce = new byte[XChaCha20Poly1305.NONCE_LENGTH];
        random.nextBytes(nonce);
        int mac1 = Messages.mac1Offset(length);
        byte[] associatedData = Arrays.copyOfRange(message, mac1, mac1 + Blake2s.MAC_LENGTH);
        byte[] sealedCookie = XChaCha20Poly1305.seal(cookieEncryptionKey, nonce, cookieFor(source), associatedData);

        byte[] reply = new byte[Messages.COOKIE_REPLY_LENGTH];
        Messages.putInt(reply, 0, Messages.TYPE_COOKIE_REPLY);
        // The sender index sits at the same offset in both handshake messages.
        Messages.putInt(reply, Messages.COOKIE_REPLY_RECEIVER, Messages.getInt(message, Messages.INITIATION_SENDER));
        System.arraycopy(nonce, 0, reply, Messages.COOKIE_REPLY_NONCE, nonce.length);
        System.arraycopy(sealedCookie, 0, reply, Messages.COOKIE_REPLY_COOKIE, sealedCookie.length);
        return reply;
    }

    /** Cookie = MAC(secret, source address ‖ source port). */
    private byte[] cookieFor(InetSocketAddress source) {
        byte[] address = source.getAddress().getAddress();
        byte[] addressAndPort = Arrays.copyOf(address, address.length + 2);
        addressAndPort[address.length] = (byte) (source.getPort() >>> 8);
        addressAndPort[address.length + 1] = (byte) source.getPort();
        byte[] cookie = new byte[Blake2s.MAC_LENGTH];
        Blake2s.mac(secret, addressAndPort, 0, addressAndPort.length, cookie, 0);
        return cookie;
    }

    static boolean equalInConstantTime(byte[] expected, byte[] actual, int actualOffset) {
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= expected[i] ^ actual[actualOffset + i];
        }
        return difference == 0;
    }
}
