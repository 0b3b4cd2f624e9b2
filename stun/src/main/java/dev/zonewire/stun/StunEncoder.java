package dev.zonewire.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Encodes {@link StunMessage}s (RFC 8489 section 5 and 14). Padding bytes are zero. */
public final class StunEncoder {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    static final int FINGERPRINT_XOR = 0x5354554E;

    private StunEncoder() {
    }

    /** The message as it is: MESSAGE-INTEGRITY or FINGERPRINT attributes in it are written verbatim. */
    public static byte[] encode(StunMessage message) {
        return encode(message, MessageProtection.NONE);
    }

    /**
     * The message followed by the integrity attributes and fingerprint that {@code protection}
     * asks for, each computed over everything before it.
     */
    public static byte[] encode(StunMessage message, MessageProtection protection) {
        Writer out = new Writer();
        out.putShort(message.messageClass().messageType(message.method()));
        out.putShort(0);
        out.putInt(MAGIC_COOKIE);
        out.ensure(TransactionId.LENGTH);
        message.transactionId().writeTo(out.bytes, out.length);
        out.length += TransactionId.LENGTH;
        for (StunAttribute attribute : message.attributes()) {
            writeAttribute(out, attribute, message.transactionId());
        }
        if (protection.messageIntegrity()) {
            byte[] hmac = Hmac.sha1(protection.key(), out.bytes, out.length, out.length + 24 - HEADER_LENGTH);
            writeRaw(out, StunAttributeType.MESSAGE_INTEGRITY, hmac);
        }
        if (protection.messageIntegritySha256()) {
            byte[] hmac = Hmac.sha256(protection.key(), out.bytes, out.length, out.length + 36 - HEADER_LENGTH);
            writeRaw(out, StunAttributeType.MESSAGE_INTEGRITY_SHA256, hmac);
        }
        if (protection.fingerprint()) {
            Bytes.putShort(out.bytes, 2, out.length + 8 - HEADER_LENGTH);
            out.putShort(StunAttributeType.FINGERPRINT);
            out.putShort(4);
            out.putInt(crc(out.bytes, out.length - 4));
        }
        Bytes.putShort(out.bytes, 2, out.length - HEADER_LENGTH);
        return Arrays.copyOf(out.bytes, out.length);
    }

    static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static void writeAttribute(Writer out, StunAttribute attribute, TransactionId id) {
        switch (attribute) {
            case StunAttribute.MappedAddress a -> writeAddress(out, a.type(), a.address(), null);
            case StunAttribute.XorMappedAddress a -> writeAddress(out, a.type(), a.address(), id);
            case StunAttribute.XorRelayedAddress a -> writeAddress(out, a.type(), a.address(), id);
            case StunAttribute.XorPeerAddress a -> writeAddress(out, a.type(), a.address(), id);
            case StunAttribute.Username a -> writeText(out, a.type(), a.value());
            case StunAttribute.Realm a -> writeText(out, a.type(), a.value());
            case StunAttribute.Nonce a -> writeText(out, a.type(), a.value());
            case StunAttribute.Software a -> writeText(out, a.type(), a.value());
            case StunAttribute.ErrorCode a -> writeError(out, a.type(), 0, a.code(), a.reason());
            case StunAttribute.AddressErrorCode a -> writeError(out, a.type(), a.family().code(), a.code(), a.reason());
            case StunAttribute.UnknownAttributes a -> {
                byte[] value = new byte[a.types().size() * 2];
                for (int i = 0; i < a.types().size(); i++) {
                    Bytes.putShort(value, i * 2, a.types().get(i));
                }
                writeRaw(out, a.type(), value);
            }
            case StunAttribute.ChannelNumber a -> writeInt(out, a.type(), a.number() << 16);
            case StunAttribute.Lifetime a -> writeInt(out, a.type(), (int) a.seconds());
            case StunAttribute.RequestedTransport a -> writeInt(out, a.type(), a.protocol() << 24);
            case StunAttribute.RequestedAddressFamily a -> writeInt(out, a.type(), a.family().code() << 24);
            case StunAttribute.EvenPort a -> writeRaw(out, a.type(), new byte[]{(byte) (a.reserveNext() ? 0x80 : 0)});
            case StunAttribute.AdditionalAddressFamily a -> writeInt(out, a.type(), a.family().code() << 24);
            case StunAttribute.Data a -> writeRaw(out, a.type(), a.value());
            case StunAttribute.MessageIntegrity a -> writeRaw(out, a.type(), a.hmac());
            case StunAttribute.MessageIntegritySha256 a -> writeRaw(out, a.type(), a.hmac());
            case StunAttribute.Fingerprint a -> writeInt(out, a.type(), a.crc());
            case StunAttribute.Priority a -> writeInt(out, a.type(), (int) a.value());
            case StunAttribute.UseCandidate a -> writeRaw(out, a.type(), new byte[0]);
            case StunAttribute.IceControlled a -> writeLong(out, a.type(), a.tieBreaker());
            case StunAttribute.IceControlling a -> writeLong(out, a.type(), a.tieBreaker());
            case StunAttribute.Unknown a -> writeRaw(out, a.type(), a.value());
        }
    }

    private static void writeAddress(Writer out, int type, InetSocketAddress address, TransactionId id) {
        byte[] ip = address.getAddress().getAddress();
        byte[] value = new byte[4 + ip.length];
        value[1] = (byte) (ip.length == 4 ? AddressFamily.IPV4.code() : AddressFamily.IPV6.code());
        int port = address.getPort();
        if (id != null) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] mask = xorMask(id);
            for (int i = 0; i < ip.length; i++) {
                ip[i] ^= mask[i];
            }
        }
        Bytes.putShort(value, 2, port);
        System.arraycopy(ip, 0, value, 4, ip.length);
        writeRaw(out, type, value);
    }

    /** The magic cookie followed by the transaction id: what XOR addresses are masked with. */
    static byte[] xorMask(TransactionId id) {
        byte[] mask = new byte[16];
        Bytes.putInt(mask, 0, MAGIC_COOKIE);
        id.writeTo(mask, 4);
        return mask;
    }

    private static void writeText(Writer out, int type, String text) {
        writeRaw(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeError(Writer out, int type, int firstByte, int code, String reason) {
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + phrase.length];
        value[0] = (byte) firstByte;
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(phrase, 0, value, 4, phrase.length);
        writeRaw(out, type, value);
    }

    private static void writeInt(Writer out, int type, int value) {
        out.putShort(type);
        out.putShort(4);
        out.putInt(value);
    }

    private static void writeLong(Writer out, int type, long value) {
        out.putShort(type);
        out.putShort(8);
        out.putInt((int) (value >>> 32));
        out.putInt((int) value);
    }

    private static void writeRaw(Writer out, int type, byte[] value) {
        out.putShort(type);
        out.putShort(value.length);
        out.ensure(Bytes.padded(value.length));
        System.arraycopy(value, 0, out.bytes, out.length, value.length);
        out.length += Bytes.padded(value.length);
    }

    /** A growing byte array; new bytes are zero, which is also the padding. */
    private static final class Writer {
        byte[] bytes = new byte[128];
        int length;

        void ensure(int extra) {
            if (length + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
            }
        }

        void putShort(int value) {
            ensure(2);
            Bytes.putShort(bytes, length, value);
            length += 2;
        }

        void putInt(int value) {
            ensure(4);
            Bytes.putInt(bytes, length, value);
            length += 4;
        }
    }
}
