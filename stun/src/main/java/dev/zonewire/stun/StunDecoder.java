package dev.zonewire.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes STUN messages (RFC 8489). The datagram must hold exactly one message: a 20-byte header
 * with the magic cookie and a length that is a multiple of 4 and matches the datagram, then
 * whole attributes. After MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are
 * read, after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT, and nothing after FINGERPRINT; the rest
 * is ignored, as RFC 8489 section 14 requires. Never throws on network bytes.
 */
public final class StunDecoder {

    private StunDecoder() {
    }

    /** Decodes the bytes between the buffer's position and limit; the buffer is not changed. */
    public static StunDecodeResult decode(ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(datagram.position(), bytes);
        return decodeOwned(bytes);
    }

    public static StunDecodeResult decode(byte[] datagram) {
        return decodeOwned(datagram.clone());
    }

    /**
     * A cheap test of the first bytes: the two top bits are zero and the magic cookie is there.
     * Useful to tell STUN from ChannelData or other traffic on a shared socket.
     */
    public static boolean looksLikeStun(ByteBuffer datagram) {
        int p = datagram.position();
        return datagram.remaining() >= StunEncoder.HEADER_LENGTH
                && (datagram.get(p) & 0xC0) == 0
                && datagram.getInt(p + 4) == StunEncoder.MAGIC_COOKIE;
    }

    private static StunDecodeResult decodeOwned(byte[] bytes) {
        if (bytes.length < StunEncoder.HEADER_LENGTH) {
            return new StunDecodeResult.Malformed("shorter than a STUN header");
        }
        int messageType = Bytes.getShort(bytes, 0);
        if ((messageType & 0xC000) != 0) {
            return new StunDecodeResult.Malformed("the two top bits are not zero");
        }
        if (Bytes.getInt(bytes, 4) != StunEncoder.MAGIC_COOKIE) {
            return new StunDecodeResult.Malformed("no magic cookie");
        }
        int length = Bytes.getShort(bytes, 2);
        if (length % 4 != 0) {
            return new StunDecodeResult.Malformed("length " + length + " is not a multiple of 4");
        }
        if (StunEncoder.HEADER_LENGTH + length != bytes.length) {
            return new StunDecodeResult.Malformed("length " + length + " does not match the datagram's " + bytes.length + " bytes");
        }
        StunMessageClass messageClass = StunMessageClass.ofMessageType(messageType);
        int method = StunMessageClass.methodOfMessageType(messageType);
        TransactionId id = TransactionId.ofBytes(bytes, 8);
        return new Attributes(bytes, id).decode(messageClass, method);
    }

    /** One pass over the attributes of one message. */
    private static final class Attributes {
        private static final int BEFORE_INTEGRITY = 0;
        private static final int AFTER_INTEGRITY = 1;
        private static final int AFTER_INTEGRITY_SHA256 = 2;
        private static final int AFTER_FINGERPRINT = 3;

        private final byte[] bytes;
        private final TransactionId id;
        private final List<StunAttribute> attributes = new ArrayList<>();
        private final List<Integer> unknownRequired = new ArrayList<>();
        private int integrityOffset = -1;
        private int integritySha256Offset = -1;
        private int fingerprintOffset = -1;
        private String failure;

        Attributes(byte[] bytes, TransactionId id) {
            this.bytes = bytes;
            this.id = id;
        }

        StunDecodeResult decode(StunMessageClass messageClass, int method) {
            int phase = BEFORE_INTEGRITY;
            int offset = StunEncoder.HEADER_LENGTH;
            while (offset < bytes.length) {
                if (bytes.length - offset < 4) {
                    return new StunDecodeResult.Malformed("truncated attribute header");
                }
                int type = Bytes.getShort(bytes, offset);
                int valueLength = Bytes.getShort(bytes, offset + 2);
                int valueOffset = offset + 4;
                if (valueOffset + Bytes.padded(valueLength) > bytes.length) {
                    return new StunDecodeResult.Malformed(String.format("attribute 0x%04X overruns the message", type));
                }
                if (readable(type, phase)) {
                    StunAttribute attribute = value(type, valueOffset, valueLength);
                    if (attribute == null) {
                        return new StunDecodeResult.BadAttribute(messageClass, method, id, type, failure);
                    }
                    attributes.add(attribute);
                    phase = switch (type) {
                        case StunAttributeType.MESSAGE_INTEGRITY -> {
                            integrityOffset = offset;
                            yield AFTER_INTEGRITY;
                        }
                        case StunAttributeType.MESSAGE_INTEGRITY_SHA256 -> {
                            integritySha256Offset = offset;
                            yield AFTER_INTEGRITY_SHA256;
                        }
                        case StunAttributeType.FINGERPRINT -> {
                            fingerprintOffset = offset;
                            yield AFTER_FINGERPRINT;
                        }
                        default -> phase;
                    };
                    if (attribute instanceof StunAttribute.Unknown && StunAttributeType.isComprehensionRequired(type)) {
                        unknownRequired.add(type);
                    }
                }
                offset = valueOffset + Bytes.padded(valueLength);
            }
            StunMessage message = new StunMessage(messageClass, method, id, attributes);
            return new StunDecodeResult.Decoded(new ReceivedStunMessage(message, bytes, integrityOffset,
                    integritySha256Offset, fingerprintOffset, unknownRequired));
        }

        private static boolean readable(int type, int phase) {
            return switch (phase) {
                case BEFORE_INTEGRITY -> true;
                case AFTER_INTEGRITY -> type == StunAttributeType.MESSAGE_INTEGRITY_SHA256
                        || type == StunAttributeType.FINGERPRINT;
                case AFTER_INTEGRITY_SHA256 -> type == StunAttributeType.FINGERPRINT;
                default -> false;
            };
        }

        /** The attribute, or null with {@link #failure} set. */
        private StunAttribute value(int type, int offset, int length) {
            return switch (type) {
                case StunAttributeType.MAPPED_ADDRESS -> {
                    InetSocketAddress a = address(offset, length, false);
                    yield a == null ? null : new StunAttribute.MappedAddress(a);
                }
                case StunAttributeType.XOR_MAPPED_ADDRESS -> {
                    InetSocketAddress a = address(offset, length, true);
                    yield a == null ? null : new StunAttribute.XorMappedAddress(a);
                }
                case StunAttributeType.XOR_RELAYED_ADDRESS -> {
                    InetSocketAddress a = address(offset, length, true);
                    yield a == null ? null : new StunAttribute.XorRelayedAddress(a);
                }
                case StunAttributeType.XOR_PEER_ADDRESS -> {
                    InetSocketAddress a = address(offset, length, true);
                    yield a == null ? null : new StunAttribute.XorPeerAddress(a);
                }
                case StunAttributeType.USERNAME -> {
                    String text = text(offset, length);
                    yield text == null || failed(AttributeRules.checkUsername(text)) ? null : new StunAttribute.Username(text);
                }
                case StunAttributeType.REALM -> {
                    String text = shortText("REALM", offset, length);
                    yield text == null ? null : new StunAttribute.Realm(text);
                }
                case StunAttributeType.NONCE -> {
                    String text = shortText("NONCE", offset, length);
                    yield text == null ? null : new StunAttribute.Nonce(text);
                }
                case StunAttributeType.SOFTWARE -> {
                    String text = shortText("SOFTWARE", offset, length);
                    yield text == null ? null : new StunAttribute.Software(text);
                }
                case StunAttributeType.ERROR_CODE -> {
                    int code = errorCode(offset, length);
                    String reason = code < 0 ? null : shortText("reason phrase", offset + 4, length - 4);
                    yield reason == null ? null : new StunAttribute.ErrorCode(code, reason);
                }
                case StunAttributeType.ADDRESS_ERROR_CODE -> {
                    int code = errorCode(offset, length);
                    AddressFamily family = code < 0 ? null : family(bytes[offset] & 0xFF);
                    String reason = family == null ? null : shortText("reason phrase", offset + 4, length - 4);
                    yield reason == null ? null : new StunAttribute.AddressErrorCode(family, code, reason);
                }
                case StunAttributeType.UNKNOWN_ATTRIBUTES -> {
                    if (length % 2 != 0) {
                        yield fail("UNKNOWN-ATTRIBUTES has an odd length");
                    }
                    List<Integer> types = new ArrayList<>();
                    for (int i = 0; i < length; i += 2) {
                        types.add(Bytes.getShort(bytes, offset + i));
                    }
                    yield new StunAttribute.UnknownAttributes(types);
                }
                case StunAttributeType.CHANNEL_NUMBER -> {
                    if (!hasLength("CHANNEL-NUMBER", length, 4)) {
                        yield null;
                    }
                    int number = Bytes.getShort(bytes, offset);
                    yield failed(AttributeRules.checkChannel(number)) ? null : new StunAttribute.ChannelNumber(number);
                }
                case StunAttributeType.LIFETIME -> hasLength("LIFETIME", length, 4)
                        ? new StunAttribute.Lifetime(Bytes.getInt(bytes, offset) & 0xFFFFFFFFL) : null;
                case StunAttributeType.PRIORITY -> hasLength("PRIORITY", length, 4)
                        ? new StunAttribute.Priority(Bytes.getInt(bytes, offset) & 0xFFFFFFFFL) : null;
                case StunAttributeType.REQUESTED_TRANSPORT -> hasLength("REQUESTED-TRANSPORT", length, 4)
                        ? new StunAttribute.RequestedTransport(bytes[offset] & 0xFF) : null;
                case StunAttributeType.EVEN_PORT -> hasLength("EVEN-PORT", length, 1)
                        ? new StunAttribute.EvenPort((bytes[offset] & 0x80) != 0) : null;
                case StunAttributeType.REQUESTED_ADDRESS_FAMILY -> {
                    AddressFamily family = hasLength("REQUESTED-ADDRESS-FAMILY", length, 4) ? family(bytes[offset] & 0xFF) : null;
                    yield family == null ? null : new StunAttribute.RequestedAddressFamily(family);
                }
                case StunAttributeType.ADDITIONAL_ADDRESS_FAMILY -> {
                    AddressFamily family = hasLength("ADDITIONAL-ADDRESS-FAMILY", length, 4) ? family(bytes[offset] & 0xFF) : null;
                    yield family == null ? null : new StunAttribute.AdditionalAddressFamily(family);
                }
                case StunAttributeType.DATA -> new StunAttribute.Data(slice(offset, length));
                case StunAttributeType.MESSAGE_INTEGRITY -> hasLength("MESSAGE-INTEGRITY", length, 20)
                        ? new StunAttribute.MessageIntegrity(slice(offset, length)) : null;
                case StunAttributeType.MESSAGE_INTEGRITY_SHA256 -> length >= 16 && length <= 32 && length % 4 == 0
                        ? new StunAttribute.MessageIntegritySha256(slice(offset, length))
                        : fail("MESSAGE-INTEGRITY-SHA256 has " + length + " bytes");
                case StunAttributeType.FINGERPRINT -> hasLength("FINGERPRINT", length, 4)
                        ? new StunAttribute.Fingerprint(Bytes.getInt(bytes, offset)) : null;
                case StunAttributeType.USE_CANDIDATE -> hasLength("USE-CANDIDATE", length, 0)
                        ? new StunAttribute.UseCandidate() : null;
                case StunAttributeType.ICE_CONTROLLED -> hasLength("ICE-CONTROLLED", length, 8)
                        ? new StunAttribute.IceControlled(Bytes.getLong(bytes, offset)) : null;
                case StunAttributeType.ICE_CONTROLLING -> hasLength("ICE-CONTROLLING", length, 8)
                        ? new StunAttribute.IceControlling(Bytes.getLong(bytes, offset)) : null;
                default -> new StunAttribute.Unknown(type, slice(offset, length));
            };
        }

        private InetSocketAddress address(int offset, int length, boolean xor) {
            if (length < 4) {
                return fail("address attribute shorter than 4 bytes");
            }
            AddressFamily family = family(bytes[offset + 1] & 0xFF);
            if (family == null) {
                return null;
            }
            int ipLength = family == AddressFamily.IPV4 ? 4 : 16;
            if (length != 4 + ipLength) {
                return fail("address attribute of " + family + " has " + length + " bytes");
            }
            int port = Bytes.getShort(bytes, offset + 2);
            byte[] ip = slice(offset + 4, ipLength);
            if (xor) {
                port ^= StunEncoder.MAGIC_COOKIE >>> 16;
                byte[] mask = StunEncoder.xorMask(id);
                for (int i = 0; i < ipLength; i++) {
                    ip[i] ^= mask[i];
                }
            }
            return new InetSocketAddress(inetAddress(ip), port);
        }

        private static InetAddress inetAddress(byte[] ip) {
            try {
                // Inet6Address.getByAddress keeps an IPv4-mapped IPv6 address as IPv6, so the family survives.
                return ip.length == 4 ? Inet4Address.getByAddress(ip) : Inet6Address.getByAddress(null, ip, -1);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an IP address", e);
            }
        }

        private AddressFamily family(int code) {
            AddressFamily family = AddressFamily.ofCode(code);
            if (family == null) {
                failure = String.format("address family 0x%02X is neither IPv4 nor IPv6", code);
            }
            return family;
        }

        /** The error code, or -1 with {@link #failure} set. */
        private int errorCode(int offset, int length) {
            if (length < 4) {
                fail("error code attribute shorter than 4 bytes");
                return -1;
            }
            int errorClass = bytes[offset + 2] & 0x07;
            int number = bytes[offset + 3] & 0xFF;
            if (errorClass < 3 || errorClass > 6 || number > 99) {
                fail("error class " + errorClass + " number " + number + " is not a STUN error code");
                return -1;
            }
            return errorClass * 100 + number;
        }

        private String shortText(String name, int offset, int length) {
            String text = text(offset, length);
            return text == null || failed(AttributeRules.checkShortText(name, text)) ? null : text;
        }

        private String text(int offset, int length) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length))
                        .toString();
            } catch (CharacterCodingException e) {
                failure = "text attribute is not valid UTF-8";
                return null;
            }
        }

        private boolean hasLength(String name, int length, int expected) {
            if (length != expected) {
                failure = name + " has " + length + " bytes, expected " + expected;
                return false;
            }
            return true;
        }

        private boolean failed(String reason) {
            failure = reason;
            return reason != null;
        }

        private <T> T fail(String reason) {
            failure = reason;
            return null;
        }

        private byte[] slice(int offset, int length) {
            byte[] value = new byte[length];
            System.arraycopy(bytes, offset, value, 0, length);
            return value;
        }
    }
}
