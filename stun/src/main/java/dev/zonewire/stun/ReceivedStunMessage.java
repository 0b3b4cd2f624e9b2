package dev.zonewire.stun;

import java.security.MessageDigest;
import java.util.List;

/**
 * A decoded message together with the bytes it came from, so that MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT can be checked against exactly what was received.
 */
public final class ReceivedStunMessage {
    private final StunMessage message;
    private final byte[] bytes;
    private final int integrityOffset;
    private final int integritySha256Offset;
    private final int fingerprintOffset;
    private final List<Integer> unknownComprehensionRequired;

    ReceivedStunMessage(StunMessage message, byte[] bytes, int integrityOffset, int integritySha256Offset,
                        int fingerprintOffset, List<Integer> unknownComprehensionRequired) {
        this.message = message;
        this.bytes = bytes;
        this.integrityOffset = integrityOffset;
        this.integritySha256Offset = integritySha256Offset;
        this.fingerprintOffset = fingerprintOffset;
        this.unknownComprehensionRequired = List.copyOf(unknownComprehensionRequired);
    }

    public StunMessage message() {
        return message;
    }

    /** A copy of the datagram. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean hasMessageIntegrity() {
        return integrityOffset >= 0;
    }

    public boolean hasMessageIntegritySha256() {
        return integritySha256Offset >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset >= 0;
    }

    /** True when MESSAGE-INTEGRITY is present and is the HMAC-SHA1 of this message under {@code key}. */
    public boolean verifyMessageIntegrity(IntegrityKey key) {
        if (integrityOffset < 0) {
            return false;
        }
        int lengthField = integrityOffset + 24 - StunEncoder.HEADER_LENGTH;
        byte[] expected = Hmac.sha1(key, bytes, integrityOffset, lengthField);
        return equalAt(expected, integrityOffset + 4, StunAttribute.MessageIntegrity.LENGTH);
    }

    /** True when MESSAGE-INTEGRITY-SHA256 is present and matches (truncated values included). */
    public boolean verifyMessageIntegritySha256(IntegrityKey key) {
        if (integritySha256Offset < 0) {
            return false;
        }
        int valueLength = Bytes.getShort(bytes, integritySha256Offset + 2);
        int lengthField = integritySha256Offset + 4 + valueLength - StunEncoder.HEADER_LENGTH;
        byte[] expected = Hmac.sha256(key, bytes, integritySha256Offset, lengthField);
        return equalAt(expected, integritySha256Offset + 4, valueLength);
    }

    /** True when FINGERPRINT is present and is the CRC-32 of this message. */
    public boolean verifyFingerprint() {
        if (fingerprintOffset < 0) {
            return false;
        }
        byte[] covered = bytes.clone();
        Bytes.putShort(covered, 2, fingerprintOffset + 8 - StunEncoder.HEADER_LENGTH);
        return StunEncoder.crc(covered, fingerprintOffset) == Bytes.getInt(bytes, fingerprintOffset + 4);
    }

    /**
     * Types of comprehension-required attributes this codec does not know, in order of appearance.
     * A server answers a request carrying any with 420 (RFC 8489 section 6.3.1).
     */
    public List<Integer> unknownComprehensionRequired() {
        return unknownComprehensionRequired;
    }

    private boolean equalAt(byte[] expected, int offset, int length) {
        byte[] received = new byte[length];
        System.arraycopy(bytes, offset, received, 0, length);
        byte[] truncated = new byte[length];
        System.arraycopy(expected, 0, truncated, 0, length);
        return MessageDigest.isEqual(truncated, received);
    }

    @Override
    public String toString() {
        return "ReceivedStunMessage[" + message + "]";
    }
}
