package dev.zonewire.wireguard;

/**
 * The length of the IP packet inside decrypted transport data: the plaintext is padded, so the real
 * length comes from the IPv4 total length or the IPv6 payload length.
 */
final class InnerPacket {
    private static final int IPV4_HEADER_LENGTH = 20;
    private static final int IPV6_HEADER_LENGTH = 40;

    /** The packet length, or -1 when the bytes are not an IPv4 or IPv6 packet that fits. */
    static int length(byte[] plaintext, int offset, int available) {
        int version = (plaintext[offset] >> 4) & 0xf;
        if (version == 4 && available >= IPV4_HEADER_LENGTH) {
            int totalLength = unsignedShort(plaintext, offset + 2);
            return totalLength >= IPV4_HEADER_LENGTH && totalLength <= available ? totalLength : -1;
        }
        if (version == 6 && available >= IPV6_HEADER_LENGTH) {
            int totalLength = IPV6_HEADER_LENGTH + unsignedShort(plaintext, offset + 4);
            return totalLength <= available ? totalLength : -1;
        }
        return -1;
    }

    private static int unsignedShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
    }

    private InnerPacket() {}
}
