package dev.zonewire.stun;

/**
 * What the encoder appends after a message's attributes: MESSAGE-INTEGRITY (HMAC-SHA1),
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, in that order, each computed over what precedes it.
 */
public record MessageProtection(IntegrityKey key, boolean messageIntegrity, boolean messageIntegritySha256,
                                boolean fingerprint) {

    public static final MessageProtection NONE = new MessageProtection(null, false, false, false);

    public MessageProtection {
        if ((messageIntegrity || messageIntegritySha256) && key == null) {
            throw new IllegalArgumentException("message integrity needs a key");
        }
    }

    /** MESSAGE-INTEGRITY (HMAC-SHA1) with this key, as Firezone's relay and TURN client use. */
    public static MessageProtection integrity(IntegrityKey key) {
        return new MessageProtection(key, true, false, false);
    }

    /** MESSAGE-INTEGRITY-SHA256 alone with this key. */
    public static MessageProtection integritySha256(IntegrityKey key) {
        return new MessageProtection(key, false, true, false);
    }

    public static MessageProtection fingerprintOnly() {
        return new MessageProtection(null, false, false, true);
    }

    public MessageProtection withFingerprint() {
        return new MessageProtection(key, messageIntegrity, messageIntegritySha256, true);
    }

    public MessageProtection withSha256() {
        return new MessageProtection(key, messageIntegrity, true, fingerprint);
    }
}
