package dev.zonewire.snownet;

import static dev.zonewire.snownet.DemultiplexingTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.wireguard.PeerConfig;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Under a flood of handshake initiations WireGuard asks senders to prove their address with a
 * cookie. The reference never passes the sender's address to WireGuard, so it can only refuse;
 * this node passes it, and the cookie reply goes back the way the initiation came.
 */
class CookieUnderLoadTest {
    private static final InetSocketAddress LOCAL = address("198.51.100.3", 52625);

    private final SplittableRandom random = new SplittableRandom(9);
    private final Node<String, String> gateway = new Node<>(NodeRole.GATEWAY, random, Instant.EPOCH, 0);

    /** A stranger who knows the gateway's public key (so its mac1 is right) and starts a handshake. */
    private record Sender(WireGuardTunnel tunnel, InetSocketAddress address, byte[] initiation) {
    }

    private Sender sender(int index) {
        WireGuardTunnel tunnel = new WireGuardTunnel(PrivateKey.generate(random), TunnelSettings.DEFAULTS, random, Instant.EPOCH, 0);
        tunnel.addPeer(PeerConfig.of(gateway.publicKey()).withEndpoint(LOCAL).withPersistentKeepalive(Duration.ofSeconds(25)), 0);
        return new Sender(tunnel, address("192.0.2." + (1 + index / 200), 1000 + index), tunnel.pollTransmit().datagram());
    }

    @Test
    void beyondAHundredHandshakesASecondTheSenderGetsACookieReplyAtItsAddress() {
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            senders.add(sender(i));
        }
        List<Transmit> replies = new ArrayList<>();

        for (Sender sender : senders) {
            gateway.decapsulate(LOCAL, sender.address(), ByteBuffer.wrap(sender.initiation().clone()), 1_000_000L);
            for (Transmit transmit = gateway.pollTransmit(); transmit != null; transmit = gateway.pollTransmit()) {
                replies.add(transmit);
            }
        }

        Sender last = senders.getLast();
        assertThat(replies).isNotEmpty().allSatisfy(reply -> {
            assertThat(reply.payload()).hasSize(64);
            assertThat(reply.payload()[0]).isEqualTo((byte) 3);
            assertThat(reply.source()).isEqualTo(LOCAL);
        });
        Transmit toLast = replies.stream().filter(reply -> reply.destination().equals(last.address())).findFirst().orElseThrow();
        long dropsBefore = last.tunnel().drops().total();
        last.tunnel().decapsulate(ByteBuffer.wrap(toLast.payload()), LOCAL, 2_000_000L);
        assertThat(last.tunnel().drops().total()).as("the sender accepts the cookie").isEqualTo(dropsBefore);
    }
}
