package dev.zonewire.relay;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.RelayUsername;
import dev.zonewire.stun.StampSecret;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A relay server on a virtual clock, with helpers to drain what it produces. */
final class TestRelay {
    static final Inet4Address IP4 = (Inet4Address) ip("203.0.113.7");
    static final Inet6Address IP6 = (Inet6Address) ip("2001:db8::7");
    static final StampSecret SECRET = StampSecret.of(
            Secret.of("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    final RelayServer server;
    /** Monotonic time; starts far from zero so that nothing depends on its origin. */
    long now = 5_000_000_000_000L;
    /** Wall clock: 2025-01-01T00:00:00Z minus 1000 s. */
    long unixMillis = 1_735_688_600_000L;

    TestRelay(RelayServerConfig config) {
        this.server = new RelayServer(config, SECRET, new Random(42));
    }

    static TestRelay dualStack() {
        return new TestRelay(RelayServerConfig.of(IP4, IP6));
    }

    static TestRelay ipv4Only() {
        return new TestRelay(RelayServerConfig.of(IP4, null));
    }

    static TestRelay ipv6Only() {
        return new TestRelay(RelayServerConfig.of(null, IP6));
    }

    /** Credentials valid until 1000 s after the current wall clock, as the reference harness makes them. */
    RelayCredentials.Issued credentials(String salt) {
        RelayUsername username = new RelayUsername(unixMillis / 1000 + 1000, salt);
        return new RelayCredentials.Issued(username, RelayCredentials.password(SECRET, username));
    }

    TestClient client(String address) {
        return new TestClient(this, socket(address), credentials("n23JJ2wKKt"));
    }

    Forward fromClient(byte[] datagram, InetSocketAddress client) {
        return server.handleClientInput(ByteBuffer.wrap(datagram), client, now, unixMillis);
    }

    Forward fromPeer(byte[] datagram, InetSocketAddress peer, int port) {
        return server.handlePeerInput(ByteBuffer.wrap(datagram), peer, port, now);
    }

    void advance(Duration duration) {
        now += duration.toNanos();
        unixMillis += duration.toMillis();
        server.handleTimeout(now);
    }

    List<Transmit> transmits() {
        List<Transmit> drained = new ArrayList<>();
        for (Transmit t = server.pollTransmit(); t != null; t = server.pollTransmit()) {
            drained.add(t);
        }
        return drained;
    }

    List<RelayEvent> events() {
        List<RelayEvent> drained = new ArrayList<>();
        for (RelayEvent e = server.pollEvent(); e != null; e = server.pollEvent()) {
            drained.add(e);
        }
        return drained;
    }

    long nanosFromNow(Duration duration) {
        return now + duration.toNanos();
    }

    static InetSocketAddress socket(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(ip(host), Integer.parseInt(text.substring(colon + 1)));
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
