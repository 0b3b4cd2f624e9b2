package dev.zonewire.stun;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A STUN message: class, method, transaction id and attributes in wire order. Build one with
 * {@link #request}, {@link #successResponse} and friends, encode it with {@link StunEncoder},
 * and read a received one with {@link StunDecoder}.
 */
public record StunMessage(StunMessageClass messageClass, int method, TransactionId transactionId,
                          List<StunAttribute> attributes) {

    public StunMessage {
        if (messageClass == null || transactionId == null) {
            throw new IllegalArgumentException("class and transaction id are required");
        }
        if (method < 0 || method > StunMethod.MAX) {
            throw new IllegalArgumentException("method " + method + " is not 12 bits");
        }
        attributes = List.copyOf(attributes);
    }

    public static Builder request(int method, TransactionId transactionId) {
        return new Builder(StunMessageClass.REQUEST, method, transactionId);
    }

    public static Builder indication(int method, TransactionId transactionId) {
        return new Builder(StunMessageClass.INDICATION, method, transactionId);
    }

    public static Builder successResponse(int method, TransactionId transactionId) {
        return new Builder(StunMessageClass.SUCCESS_RESPONSE, method, transactionId);
    }

    public static Builder errorResponse(int method, TransactionId transactionId, int errorCode) {
        return new Builder(StunMessageClass.ERROR_RESPONSE, method, transactionId)
                .add(StunAttribute.ErrorCode.of(errorCode));
    }

    /** The first attribute of this kind (when a type repeats, the first one counts). */
    public <T extends StunAttribute> Optional<T> first(Class<T> kind) {
        for (StunAttribute attribute : attributes) {
            if (kind.isInstance(attribute)) {
                return Optional.of(kind.cast(attribute));
            }
        }
        return Optional.empty();
    }

    public <T extends StunAttribute> List<T> all(Class<T> kind) {
        List<T> found = new ArrayList<>();
        for (StunAttribute attribute : attributes) {
            if (kind.isInstance(attribute)) {
                found.add(kind.cast(attribute));
            }
        }
        return found;
    }

    public boolean has(Class<? extends StunAttribute> kind) {
        return first(kind).isPresent();
    }

    /** A copy with different attributes, e.g. to re-send a request with a new nonce. */
    public Builder toBuilder() {
        Builder builder = new Builder(messageClass, method, transactionId);
        attributes.forEach(builder::add);
        return builder;
    }

    public static final class Builder {
        private final StunMessageClass messageClass;
        private final int method;
        private TransactionId transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>();

        private Builder(StunMessageClass messageClass, int method, TransactionId transactionId) {
            this.messageClass = messageClass;
            this.method = method;
            this.transactionId = transactionId;
        }

        public Builder add(StunAttribute attribute) {
            attributes.add(attribute);
            return this;
        }

        public Builder transactionId(TransactionId id) {
            this.transactionId = id;
            return this;
        }

        /** Drops every attribute of this kind, e.g. a stale NONCE before adding a fresh one. */
        public Builder remove(Class<? extends StunAttribute> kind) {
            attributes.removeIf(kind::isInstance);
            return this;
        }

        public StunMessage build() {
            return new StunMessage(messageClass, method, transactionId, attributes);
        }
    }
}
