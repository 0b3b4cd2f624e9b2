package dev.zonewire.wireguard;

import java.util.Arrays;

/** Our static key pair and what the handshake derives from it once. */
final class LocalIdentity {
    final PrivateKey privateKey;
    final PublicKey publicKey;
    /** The private scalar, read by every Diffie-Hellman; wiped when the identity is replaced. */
    final byte[] scalar;
    /** HASH(INITIAL_HASH ‖ our public key): where a responder's transcript starts. */
    final byte[] responderInitialHash;

    LocalIdentity(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.publicKey();
        this.scalar = privateKey.scalar();
        this.responderInitialHash = Blake2s.hash(Noise.INITIAL_HASH, publicKey.unsafeBytes());
    }

    void wipe() {
        Arrays.fill(scalar, (byte) 0);
    }
}
