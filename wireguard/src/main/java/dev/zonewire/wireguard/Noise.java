package dev.zonewire.wireguard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s messages of WireGuard (whitepaper section 5.4): building
 * and consuming the initiation and the response, and deriving the transport keys. The MACs at the
 * end of each message are the cookie code's job.
 */
final class Noise {
    static final byte[] CONSTRUCTION = ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    static final byte[] IDENTIFIER = ascii("WireGuard v1 zx2c4 Jason@zx2c4.com");
    static final byte[] LABEL_MAC1 = ascii("mac1----");
    static final byte[] LABEL_COOKIE = ascii("cookie--");
    static final byte[] INITIAL_CHAINING_KEY = Blake2s.hash(CONSTRUCTION);
    static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAINING_KEY, IDENTIFIER);

    private static final byte[] EMPTY = new byte[0];

    /** The result of reading an initiation: the peer it came from, or why it was refused. */
    sealed interface InitiationResult {
        record Accepted(WireGuardPeer peer) implements InitiationResult {}

        record Refused(DropReason reason) implements InitiationResult {}
    }

    /**
     * A new initiation to {@code peer} with the MAC fields left zero, or null when Diffie-Hellman
     * with the peer's static key fails (a small-order key: the peer can never be reached).
     */
    static byte[] createInitiation(LocalIdentity local, WireGuardPeer peer, int senderIndex, byte[] timestamp,
                                   RandomGenerator random) {
        Handshake handshake = peer.handshake;
        byte[] remoteStatic = peer.publicKey().unsafeBytes();
        if (peer.staticStatic == null) {
            return null;
        }
        System.arraycopy(INITIAL_CHAINING_KEY, 0, handshake.chainingKey, 0, Blake2s.HASH_LENGTH);
        System.arraycopy(INITIAL_HASH, 0, handshake.hash, 0, Blake2s.HASH_LENGTH);
        Blake2s.mixHash(handshake.hash, remoteStatic);

        random.nextBytes(handshake.localEphemeral);
        byte[] ephemeral = X25519.publicKey(handshake.localEphemeral);
        byte[] message = new byte[Messages.INITIATION_LENGTH];
        Messages.putInt(message, 0, Messages.TYPE_INITIATION);
        Messages.putInt(message, Messages.INITIATION_SENDER, senderIndex);
        System.arraycopy(ephemeral, 0, message, Messages.INITIATION_EPHEMERAL, 32);
        mixKey(handshake.chainingKey, ephemeral);
        Blake2s.mixHash(handshake.hash, ephemeral);

        byte[] ephemeralStatic = X25519.sharedSecret(handshake.localEphemeral, remoteStatic);
        if (ephemeralStatic == null) {
            return null;
        }
        byte[] key = mixKeyAndTakeKey(handshake.chainingKey, ephemeralStatic);
        sealInto(key, local.publicKey.unsafeBytes(), handshake.hash, message, Messages.INITIATION_STATIC);
        Blake2s.mixHash(handshake.hash, message, Messages.INITIATION_STATIC, Messages.INITIATION_STATIC_LENGTH);

        key = mixKeyAndTakeKey(handshake.chainingKey, peer.staticStatic);
        sealInto(key, timestamp, handshake.hash, message, Messages.INITIATION_TIMESTAMP);
        Blake2s.mixHash(handshake.hash, message, Messages.INITIATION_TIMESTAMP, Messages.INITIATION_TIMESTAMP_LENGTH);

        handshake.localIndex = senderIndex;
        handshake.state = Handshake.State.INITIATION_CREATED;
        return message;
    }

    /**
     * Authenticates an initiation (MACs already checked), finds its peer with {@code peers} and, if
     * it is neither a replay nor part of a flood, stores it in that peer's handshake state.
     */
    static InitiationResult consumeInitiation(LocalIdentity local, byte[] message,
                                              Function<PublicKey, WireGuardPeer> peers, long now) {
        byte[] hash = local.responderInitialHash.clone();
        byte[] chainingKey = INITIAL_CHAINING_KEY.clone();
        byte[] ephemeral = Arrays.copyOfRange(message, Messages.INITIATION_EPHEMERAL, Messages.INITIATION_EPHEMERAL + 32);
        Blake2s.mixHash(hash, ephemeral);
        mixKey(chainingKey, ephemeral);

        byte[] ephemeralStatic = X25519.sharedSecret(local.scalar, ephemeral);
        if (ephemeralStatic == null) {
            return new InitiationResult.Refused(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        byte[] key = mixKeyAndTakeKey(chainingKey, ephemeralStatic);
        byte[] initiatorStatic = ChaCha20Poly1305.open(key, 0, message, Messages.INITIATION_STATIC,
                Messages.INITIATION_STATIC_LENGTH, hash);
        if (initiatorStatic == null) {
            return new InitiationResult.Refused(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        Blake2s.mixHash(hash, message, Messages.INITIATION_STATIC, Messages.INITIATION_STATIC_LENGTH);

        WireGuardPeer peer = peers.apply(PublicKey.fromBytes(initiatorStatic));
        if (peer == null) {
            return new InitiationResult.Refused(DropReason.UNKNOWN_PEER);
        }
        if (peer.staticStatic == null) {
            return new InitiationResult.Refused(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        key = mixKeyAndTakeKey(chainingKey, peer.staticStatic);
        byte[] timestamp = ChaCha20Poly1305.open(key, 0, message, Messages.INITIATION_TIMESTAMP,
                Messages.INITIATION_TIMESTAMP_LENGTH, hash);
        if (timestamp == null) {
            return new InitiationResult.Refused(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        Blake2s.mixHash(hash, message, Messages.INITIATION_TIMESTAMP, Messages.INITIATION_TIMESTAMP_LENGTH);

        Handshake handshake = peer.handshake;
        if (!Tai64n.isAfter(timestamp, handshake.lastTimestamp)) {
            return new InitiationResult.Refused(DropReason.REPLAYED_HANDSHAKE);
        }
        if (handshake.initiationConsumedBefore
                && now - handshake.lastInitiationConsumedAt <= Protocol.HANDSHAKE_INITIATION_RATE_NANOS) {
            return new InitiationResult.Refused(DropReason.HANDSHAKE_FLOOD);
        }
        System.arraycopy(hash, 0, handshake.hash, 0, Blake2s.HASH_LENGTH);
        System.arraycopy(chainingKey, 0, handshake.chainingKey, 0, Blake2s.HASH_LENGTH);
        System.arraycopy(ephemeral, 0, handshake.remoteEphemeral, 0, 32);
        System.arraycopy(timestamp, 0, handshake.lastTimestamp, 0, Tai64n.LENGTH);
        handshake.remoteIndex = Messages.getInt(message, Messages.INITIATION_SENDER);
        handshake.initiationConsumedBefore = true;
        handshake.lastInitiationConsumedAt = now;
        handshake.state = Handshake.State.INITIATION_CONSUMED;
        return new InitiationResult.Accepted(peer);
    }

    /**
     * The response to the initiation the peer's handshake holds, with the MAC fields left zero, or
     * null when Diffie-Hellman fails.
     */
    static byte[] createResponse(WireGuardPeer peer, int senderIndex, RandomGenerator random) {
        Handshake handshake = peer.handshake;
        if (handshake.state != Handshake.State.INITIATION_CONSUMED) {
            return null;
        }
        random.nextBytes(handshake.localEphemeral);
        byte[] ephemeral = X25519.publicKey(handshake.localEphemeral);
        byte[] message = new byte[Messages.RESPONSE_LENGTH];
        Messages.putInt(message, 0, Messages.TYPE_RESPONSE);
        Messages.putInt(message, Messages.RESPONSE_SENDER, senderIndex);
        Messages.putInt(message, Messages.RESPONSE_RECEIVER, handshake.remoteIndex);
        System.arraycopy(ephemeral, 0, message, Messages.RESPONSE_EPHEMERAL, 32);
        Blake2s.mixHash(handshake.hash, ephemeral);
        mixKey(handshake.chainingKey, ephemeral);

        byte[] ephemeralEphemeral = X25519.sharedSecret(handshake.localEphemeral, handshake.remoteEphemeral);
        byte[] ephemeralStatic = X25519.sharedSecret(handshake.localEphemeral, peer.publicKey().unsafeBytes());
        if (ephemeralEphemeral == null || ephemeralStatic == null) {
            return null;
        }
        mixKey(handshake.chainingKey, ephemeralEphemeral);
        mixKey(handshake.chainingKey, ephemeralStatic);

        byte[] key = mixPresharedKey(handshake.chainingKey, handshake.hash, peer.presharedKey());
        sealInto(key, EMPTY, handshake.hash, message, Messages.RESPONSE_EMPTY);
        Blake2s.mixHash(handshake.hash, message, Messages.RESPONSE_EMPTY, ChaCha20Poly1305.TAG_LENGTH);

        handshake.localIndex = senderIndex;
        handshake.state = Handshake.State.RESPONSE_CREATED;
        return message;
    }

    /**
     * Authenticates a response to the initiation the handshake holds and stores it. False when it
     * does not decrypt, which is also how a wrong preshared key shows.
     */
    static boolean consumeResponse(LocalIdentity local, Handshake handshake, byte[] message) {
        byte[] hash = handshake.hash.clone();
        byte[] chainingKey = handshake.chainingKey.clone();
        byte[] ephemeral = Arrays.copyOfRange(message, Messages.RESPONSE_EPHEMERAL, Messages.RESPONSE_EPHEMERAL + 32);
        Blake2s.mixHash(hash, ephemeral);
        mixKey(chainingKey, ephemeral);

        byte[] ephemeralEphemeral = X25519.sharedSecret(handshake.localEphemeral, ephemeral);
        byte[] staticEphemeral = X25519.sharedSecret(local.scalar, ephemeral);
        if (ephemeralEphemeral == null || staticEphemeral == null) {
            return false;
        }
        mixKey(chainingKey, ephemeralEphemeral);
        mixKey(chainingKey, staticEphemeral);

        byte[] key = mixPresharedKey(chainingKey, hash, handshake.peer().presharedKey());
        if (ChaCha20Poly1305.open(key, 0, message, Messages.RESPONSE_EMPTY, ChaCha20Poly1305.TAG_LENGTH, hash) == null) {
            return false;
        }
        Blake2s.mixHash(hash, message, Messages.RESPONSE_EMPTY, ChaCha20Poly1305.TAG_LENGTH);

        System.arraycopy(hash, 0, handshake.hash, 0, Blake2s.HASH_LENGTH);
        System.arraycopy(chainingKey, 0, handshake.chainingKey, 0, Blake2s.HASH_LENGTH);
        handshake.remoteIndex = Messages.getInt(message, Messages.RESPONSE_SENDER);
        handshake.state = Handshake.State.RESPONSE_CONSUMED;
        return true;
    }

    /**
     * The transport keys of a finished handshake, {sending, receiving}: the initiator sends with the
     * first KDF output and the responder with the second.
     */
    static byte[][] transportKeys(Handshake handshake, boolean weInitiated) {
        byte[][] keys = Blake2s.kdf(2, handshake.chainingKey, EMPTY);
        return weInitiated ? keys : new byte[][] {keys[1], keys[0]};
    }

    /** Noise's MixKey: C = KDF1(C, input). */
    private static void mixKey(byte[] chainingKey, byte[] input) {
        byte[][] out = Blake2s.kdf(1, chainingKey, input);
        System.arraycopy(out[0], 0, chainingKey, 0, Blake2s.HASH_LENGTH);
    }

    /** (C, k) = KDF2(C, input): updates C and returns k. */
    private static byte[] mixKeyAndTakeKey(byte[] chainingKey, byte[] input) {
        byte[][] out = Blake2s.kdf(2, chainingKey, input);
        System.arraycopy(out[0], 0, chainingKey, 0, Blake2s.HASH_LENGTH);
        return out[1];
    }

    /** (C, τ, k) = KDF3(C, psk); H = HASH(H ‖ τ): returns k. */
    private static byte[] mixPresharedKey(byte[] chainingKey, byte[] hash, PresharedKey presharedKey) {
        byte[] psk = presharedKey.bytes();
        byte[][] out = Blake2s.kdf(3, chainingKey, psk);
        Arrays.fill(psk, (byte) 0);
        System.arraycopy(out[0], 0, chainingKey, 0, Blake2s.HASH_LENGTH);
        Blake2s.mixHash(hash, out[1]);
        return out[2];
    }

    private static void sealInto(byte[] key, byte[] plaintext, byte[] hash, byte[] message, int offset) {
        byte[] sealed = ChaCha20Poly1305.seal(key, 0, plaintext, hash);
        System.arraycopy(sealed, 0, message, offset, sealed.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private Noise() {}
}
