package dev.zonewire.stun;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One STUN attribute. Every attribute the relay, the TURN client and ICE use has a record here;
 * anything else decodes as {@link Unknown} and keeps its bytes.
 */
public sealed interface StunAttribute {

    /** The attribute's type number on the wire. */
    int type();

    /** An attribute that carries a transport address. */
    sealed interface AddressAttribute extends StunAttribute {
        InetSocketAddress address();
    }

    record MappedAddress(InetSocketAddress address) implements AddressAttribute {
        public MappedAddress {
            requireResolved(address);
        }

        @Override
        public int type() {
            return StunAttributeType.MAPPED_ADDRESS;
        }
    }

    record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorMappedAddress {
            requireResolved(address);
        }

        @Override
        public int type() {
            return StunAttributeType.XOR_MAPPED_ADDRESS;
        }
    }

    record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {
        public XorRelayedAddress {
            requireResolved(address);
        }

        @Override
        public int type() {
            return StunAttributeType.XOR_RELAYED_ADDRESS;
        }
    }

    record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {
        public XorPeerAddress {
            requireResolved(address);
        }

        @Override
        public int type() {
            return StunAttributeType.XOR_PEER_ADDRESS;
        }
    }

    record Username(String value) implements StunAttribute {
        public Username {
            AttributeRules.require(AttributeRules.checkUsername(value));
        }

        @Override
        public int type() {
            return StunAttributeType.USERNAME;
        }
    }

    record Realm(String value) implements StunAttribute {
        public Realm {
            AttributeRules.require(AttributeRules.checkShortText("REALM", value));
        }

        @Override
        public int type() {
            return StunAttributeType.REALM;
        }
    }

    record Nonce(String value) implements StunAttribute {
        public Nonce {
            AttributeRules.require(AttributeRules.checkShortText("NONCE", value));
        }

        @Override
        public int type() {
            return StunAttributeType.NONCE;
        }
    }

    record Software(String value) implements StunAttribute {
        public Software {
            AttributeRules.require(AttributeRules.checkShortText("SOFTWARE", value));
        }

        @Override
        public int type() {
            return StunAttributeType.SOFTWARE;
        }
    }

    record ErrorCode(int code, String reason) implements StunAttribute {
        public ErrorCode {
            AttributeRules.require(AttributeRules.checkErrorCode(code));
            AttributeRules.require(AttributeRules.checkShortText("reason phrase", reason));
        }

        /** The error with its standard reason phrase. */
        public static ErrorCode of(int code) {
            return new ErrorCode(code, StunErrorCode.reasonPhrase(code));
        }

        @Override
        public int type() {
            return StunAttributeType.ERROR_CODE;
        }
    }

    /** The comprehension-required attribute types a request carried that the server does not know. */
    record UnknownAttributes(List<Integer> types) implements StunAttribute {
        public UnknownAttributes {
            types = List.copyOf(types);
            for (int type : types) {
                if (type < 0 || type > 0xFFFF) {
                    throw new IllegalArgumentException("attribute type " + type + " is not 16 bits");
                }
            }
        }

        @Override
        public int type() {
            return StunAttributeType.UNKNOWN_ATTRIBUTES;
        }
    }

    record ChannelNumber(int number) implements StunAttribute {
        public ChannelNumber {
            AttributeRules.require(AttributeRules.checkChannel(number));
        }

        @Override
        public int type() {
            return StunAttributeType.CHANNEL_NUMBER;
        }
    }

    /** Seconds, an unsigned 32-bit number. */
    record Lifetime(long seconds) implements StunAttribute {
        public Lifetime {
            requireUnsigned32(seconds, "lifetime");
        }

        @Override
        public int type() {
            return StunAttributeType.LIFETIME;
        }
    }

    /** The IP protocol number of the relayed transport; 17 is UDP. */
    record RequestedTransport(int protocol) implements StunAttribute {
        public static final int UDP = 17;

        public RequestedTransport {
            if (protocol < 0 || protocol > 255) {
                throw new IllegalArgumentException("protocol " + protocol + " is not one byte");
            }
        }

        @Override
        public int type() {
            return StunAttributeType.REQUESTED_TRANSPORT;
        }
    }

    /** Asks for an even relayed port, and with the R bit for the next port to be kept free as well. */
    record EvenPort(boolean reserveNext) implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.EVEN_PORT;
        }
    }

    record RequestedAddressFamily(AddressFamily family) implements StunAttribute {
        public RequestedAddressFamily {
            requireFamily(family);
        }

        @Override
        public int type() {
            return StunAttributeType.REQUESTED_ADDRESS_FAMILY;
        }
    }

    record AdditionalAddressFamily(AddressFamily family) implements StunAttribute {
        public AdditionalAddressFamily {
            requireFamily(family);
        }

        @Override
        public int type() {
            return StunAttributeType.ADDITIONAL_ADDRESS_FAMILY;
        }
    }

    /** Why one family of a dual-stack allocation could not be allocated (RFC 8656 section 18.13). */
    record AddressErrorCode(AddressFamily family, int code, String reason) implements StunAttribute {
        public AddressErrorCode {
            requireFamily(family);
            AttributeRules.require(AttributeRules.checkErrorCode(code));
            AttributeRules.require(AttributeRules.checkShortText("reason phrase", reason));
        }

        @Override
        public int type() {
            return StunAttributeType.ADDRESS_ERROR_CODE;
        }
    }

    record Data(byte[] value) implements StunAttribute {
        public Data {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public int type() {
            return StunAttributeType.DATA;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Data that && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Data[" + value.length + " bytes]";
        }
    }

    /** An HMAC-SHA1 as received; the encoder computes its own. */
    record MessageIntegrity(byte[] hmac) implements StunAttribute {
        public static final int LENGTH = 20;

        public MessageIntegrity {
            if (hmac.length != LENGTH) {
                throw new IllegalArgumentException("MESSAGE-INTEGRITY has 20 bytes, got " + hmac.length);
            }
            hmac = hmac.clone();
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        @Override
        public int type() {
            return StunAttributeType.MESSAGE_INTEGRITY;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MessageIntegrity that && Arrays.equals(hmac, that.hmac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hmac);
        }

        @Override
        public String toString() {
            return "MessageIntegrity[" + HexFormat.of().formatHex(hmac) + "]";
        }
    }

    /** An HMAC-SHA256, possibly truncated to 16-32 bytes in steps of 4 (RFC 8489 section 14.6). */
    record MessageIntegritySha256(byte[] hmac) implements StunAttribute {
        public MessageIntegritySha256 {
            if (hmac.length < 16 || hmac.length > 32 || hmac.length % 4 != 0) {
                throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 has 16-32 bytes in steps of 4, got " + hmac.length);
            }
            hmac = hmac.clone();
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        @Override
        public int type() {
            return StunAttributeType.MESSAGE_INTEGRITY_SHA256;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MessageIntegritySha256 that && Arrays.equals(hmac, that.hmac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hmac);
        }

        @Override
        public String toString() {
            return "MessageIntegritySha256[" + HexFormat.of().formatHex(hmac) + "]";
        }
    }

    /** A CRC-32 as received; the encoder computes its own. */
    record Fingerprint(int crc) implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.FINGERPRINT;
        }
    }

    /** ICE candidate priority, an unsigned 32-bit number. */
    record Priority(long value) implements StunAttribute {
        public Priority {
            requireUnsigned32(value, "priority");
        }

        @Override
        public int type() {
            return StunAttributeType.PRIORITY;
        }
    }

    record UseCandidate() implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.USE_CANDIDATE;
        }
    }

    record IceControlled(long tieBreaker) implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.ICE_CONTROLLED;
        }
    }

    record IceControlling(long tieBreaker) implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.ICE_CONTROLLING;
        }
    }

    /** Any attribute this codec does not interpret, kept as bytes. */
    record Unknown(int type, byte[] value) implements StunAttribute {
        public Unknown {
            if (type < 0 || type > 0xFFFF) {
                throw new IllegalArgumentException("attribute type " + type + " is not 16 bits");
            }
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("attribute value longer than 65535 bytes");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Unknown that && type == that.type && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return String.format("Unknown[type=0x%04X, %d bytes]", type, value.length);
        }
    }

    private static void requireResolved(InetSocketAddress address) {
        if (address == null || address.isUnresolved()) {
            throw new IllegalArgumentException("a STUN address must be a resolved IP address and port");
        }
    }

    private static void requireFamily(AddressFamily family) {
        if (family == null) {
            throw new IllegalArgumentException("address family is missing");
        }
    }

    private static void requireUnsigned32(long value, String name) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit number");
        }
    }
}
