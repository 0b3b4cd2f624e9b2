package dev.zonewire.benchmarks.wireguard;

import dev.zonewire.wireguard.PeerConfig;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.Transmit;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardEvent;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;

/** Two tunnels that are each other's peer, with a loop that carries their datagrams at once. */
final class TunnelPair {
    static final InetSocketAddress ALICE_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    static final InetSocketAddress BOB_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2);

    final WireGuardTunnel alice;
    final WireGuardTunnel bob;
    final WireGuardPeer bobAtAlice;
    final WireGuardPeer aliceAtBob;
    /** Handshakes completed so far, counted on both sides. */
    long handshakesCompleted;

    TunnelPair(long now) {
        SecureRandom random = new SecureRandom();
        PrivateKey aliceKey = PrivateKey.generate(random);
        PrivateKey bobKey = PrivateKey.generate(random);
        alice = new WireGuardTunnel(aliceKey, TunnelSettings.DEFAULTS, random, Instant.now(), now);
        bob = new WireGuardTunnel(bobKey, TunnelSettings.DEFAULTS, random, Instant.now(), now);
        bobAtAlice = alice.addPeer(PeerConfig.of(bobKey.publicKey()).withEndpoint(BOB_ADDRESS), now);
        aliceAtBob = bob.addPeer(PeerConfig.of(aliceKey.publicKey()).withEndpoint(ALICE_ADDRESS), now);
    }

    /** Delivers every transmit of either tunnel to the other until both are quiet. */
    void exchange(long now) {
        // A non-short-circuit | so that both directions are drained on every round.
        boolean moved = true;
        while (moved) {
            moved = deliver(alice, bob, ALICE_ADDRESS, now) | deliver(bob, alice, BOB_ADDRESS, now);
        }
    }

    private boolean deliver(WireGuardTunnel from, WireGuardTunnel to, InetSocketAddress source, long now) {
        boolean any = false;
        for (Transmit transmit = from.pollTransmit(); transmit != null; transmit = from.pollTransmit()) {
            to.decapsulate(ByteBuffer.wrap(transmit.datagram()), source, now);
            any = true;
        }
        for (WireGuardEvent event = from.pollEvent(); event != null; event = from.pollEvent()) {
            if (event instanceof WireGuardEvent.HandshakeCompleted) {
                handshakesCompleted++;
            }
        }
        return any;
    }

    /** A buffer with room for an IP packet of {@code length} bytes and the WireGuard framing around it. */
    static ByteBuffer packetBuffer(int length) {
        return ByteBuffer.allocate(WireGuardTunnel.HEADROOM + length + WireGuardTunnel.TAILROOM);
    }

    /** Frames an IPv4 header of {@code length} bytes in the buffer, ready for encapsulation. */
    static ByteBuffer ipv4Packet(ByteBuffer buffer, int length) {
        buffer.clear().position(WireGuardTunnel.HEADROOM).limit(WireGuardTunnel.HEADROOM + length);
        buffer.put(WireGuardTunnel.HEADROOM, (byte) 0x45);
        buffer.putShort(WireGuardTunnel.HEADROOM + 2, (short) length);
        return buffer;
    }

    /** Completes the first handshake with one packet from Alice. */
    void handshake(long now) {
        alice.encapsulate(bobAtAlice, ipv4Packet(packetBuffer(40), 40), now);
        exchange(now);
        if (handshakesCompleted != 2) {
            throw new IllegalStateException("the tunnels did not complete a handshake");
        }
    }
}
