package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;

/**
 * What the fuzz tests share: how an input turns a real message into a test datagram, and the
 * invariant every datagram must keep. Whatever the bytes, {@code decapsulate} must not throw, and a
 * datagram that yields no IP packet must be either authenticated or counted as exactly one drop.
 */
final class FuzzedDatagrams {
    static void feed(WireGuardTunnel tunnel, byte[] datagram, PeerPair pair) {
        long dropsBefore = tunnel.drops().total();
        long authenticatedBefore = authenticatedBytes(tunnel);
        ByteBuffer buffer = ByteBuffer.wrap(datagram);

        WireGuardPeer sender = tunnel.decapsulate(buffer, PeerPair.ALICE_ADDRESS, pair.now);

        long drops = tunnel.drops().total() - dropsBefore;
        drainOutput(pair);
        if (sender != null) {
            assertThat(drops).isZero();
            assertThat(buffer.position()).isEqualTo(WireGuardTunnel.HEADROOM);
            assertThat(InnerPacket.length(datagram, buffer.position(), buffer.remaining())).isEqualTo(buffer.remaining());
        } else if (authenticatedBytes(tunnel) == authenticatedBefore) {
            assertThat(drops).as("an unauthenticated datagram is one counted drop").isOne();
        }
    }

    /** The bytes, changed in one of several ways the fuzzer picks, or replaced by its raw input. */
    static byte[] mutate(byte[] original, FuzzedDataProvider data) {
        byte[] bytes = original.clone();
        switch (data.consumeInt(0, 4)) {
            case 0 -> {
                return data.consumeRemainingAsBytes();
            }
            case 1 -> {
                int flips = data.consumeInt(1, 8);
                for (int i = 0; i < flips && bytes.length > 0; i++) {
                    bytes[data.consumeInt(0, bytes.length - 1)] ^= data.consumeByte();
                }
            }
            case 2 -> bytes = java.util.Arrays.copyOf(bytes, data.consumeInt(0, bytes.length + 64));
            case 3 -> {
                int offset = data.consumeInt(0, bytes.length);
                byte[] patch = data.consumeBytes(bytes.length - offset);
                System.arraycopy(patch, 0, bytes, offset, patch.length);
            }
            default -> {
                // the original unchanged: a replay
            }
        }
        return bytes;
    }

    /** Writes a valid mac1 for {@code receiver} when the fuzzer asks for it and the length allows. */
    static byte[] resign(byte[] message, WireGuardTunnel receiver, FuzzedDataProvider data) {
        if (data.consumeBoolean() && (message.length == Messages.INITIATION_LENGTH || message.length == Messages.RESPONSE_LENGTH)) {
            new CookieGenerator(receiver.publicKey()).addMacs(message, 0);
        }
        return message;
    }

    /** A cookie reply naming the initiation's sender index, with garbage for its nonce and cookie. */
    static byte[] cookieReplyTo(byte[] initiation) {
        byte[] reply = new byte[Messages.COOKIE_REPLY_LENGTH];
        Messages.putInt(reply, 0, Messages.TYPE_COOKIE_REPLY);
        System.arraycopy(initiation, Messages.INITIATION_SENDER, reply, Messages.COOKIE_REPLY_RECEIVER, 4);
        return reply;
    }

    /** As a driver does after every input; an undrained queue would overflow and count drops of its own. */
    private static void drainOutput(PeerPair pair) {
        for (WireGuardTunnel tunnel : new WireGuardTunnel[] {pair.alice, pair.bob}) {
            while (tunnel.pollTransmit() != null || tunnel.pollEvent() != null) {
                // discarded: the fuzz tests look only at what decapsulate did with its input
            }
        }
    }

    static long authenticatedBytes(WireGuardTunnel tunnel) {
        return tunnel.peers().stream().mapToLong(WireGuardPeer::rxBytes).sum();
    }

    private FuzzedDatagrams() {}
}
