package dev.zonewire.stun;

/** What {@link StunDecoder} made of a datagram. Decoding never throws on network bytes. */
public sealed interface StunDecodeResult {

    /** A well-formed message. */
    record Decoded(ReceivedStunMessage received) implements StunDecodeResult {
        public StunMessage message() {
            return received.message();
        }
    }

    /** Not a well-formed STUN message (bad header, length, cookie or attribute framing): drop it. */
    record Malformed(String reason) implements StunDecodeResult {
    }

    /**
     * The framing is fine but a known attribute's value is not (e.g. a channel number out of
     * range). A server answers a request like this with 400 Bad Request.
     */
    record BadAttribute(StunMessageClass messageClass, int method, TransactionId transactionId, int attributeType,
                        String reason) implements StunDecodeResult {
    }
}
