package dev.zonewire.wireguard;

import java.util.Arrays;

/**
 * The initiator's side of the cookie mechanism, one per peer: it writes mac1 (keyed with the peer's
 * public key) and, while it holds a fresh cookie from that peer, mac2 into our handshake messages.
 */
final class CookieGenerator {
    private final byte[] mac1Key;
    private final byte[] cookieDecryptionKey;
    private final byte[] cookie = new byte[Blake2s.MAC_LENGTH];
    private boolean cookieSet;
    private long cookieSetAt;
    private final byte[] lastMac1 = new byte[Blake2s.MAC_LENGTH];
    private boolean lastMac1Set;

    CookieGenerator(PublicKey peerPublicKey) {
        this.mac1Key = Blake2s.hash(Noise.LABEL_MAC1, peerPublicKey.unsafeBytes());
        this.cookieDecryptionKey = Blake2s.hash(Noise.LABEL_COOKIE, peerPublicKey.unsafeBytes());
    }

    /** Fills mac1 and mac2 of a handshake message we are about to send. */
    void addMacs(byte[] message, long now) {
        int mac1 = Messages.mac1Offset(message.length);
        int mac2 = Messages.mac2Offset(message.length);
        Blake2s.mac(mac1Key, message, 0, mac1, message, mac1);
        System.arraycopy(message, mac1, lastMac1, 0, Blake2s.MAC_LENGTH);
        lastMac1Set = true;
        if (hasFreshCookie(now)) {
            Blake2s.mac(cookie, message, 0, mac2, message, mac2);
        } else {
            Arrays.fill(message, mac2, mac2 + Blake2s.MAC_LENGTH, (byte) 0);
        }
    }

    /**
     * Takes the cookie from a cookie reply to the last message we sent; false when it does not
     * decrypt, which includes a reply to any earlier message.
     */
    boolean consumeReply(byte[] reply, long now) {
        if (!lastMac1Set) {
            return false;
        }
        byte[] nonce = Arrays.copyOfRange(reply, Messages.COOKIE_REPLY_NONCE,
                Messages.COOKIE_REPLY_NONCE + XChaCha20Poly1305.NONCE_LENGTH);
        byte[] opened = XChaCha20Poly1305.open(cookieDecryptionKey, nonce, reply, Messages.COOKIE_REPLY_COOKIE,
                Messages.COOKIE_REPLY_COOKIE_LENGTH, lastMac1);
        if (opened == null) {
            return false;
        }
        System.arraycopy(opened, 0, cookie, 0, Blake2s.MAC_LENGTH);
        cookieSet = true;
        cookieSetAt = now;
        return true;
    }

    boolean hasFreshCookie(long now) {
        return cookieSet && now - cookieSetAt < Protocol.COOKIE_REFRESH_TIME_NANOS;
    }
}
