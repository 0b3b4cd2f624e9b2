package dev.zonewire.snownet.turn;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.Forward;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayServerConfig;
import dev.zonewire.relay.Transmit;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunMessage;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One {@link TurnAllocation} talking to the relay module's sans-IO server over a lossless, instant
 * network with a virtual clock, plus a peer that can send to the relay's allocation ports. Tests
 * can make the relay go silent, drop chosen messages, or restart it.
 */
final class TurnHarness {
    static final long START = 5_000_000_000L;
    static final Instant WALL_CLOCK = Instant.parse("2025-06-01T12:00:00Z");
    static final InetSocketAddress CLIENT = address("198.51.100.2", 40000);
    static final int LISTEN_PORT = 3478;
    static final InetSocketAddress RELAY_V4 = address("198.51.100.101", LISTEN_PORT);
    static final InetSocketAddress RELAY_V6 = address("2001:db8::101", LISTEN_PORT);
    static final StampSecret SECRET = StampSecret.of(Secret.of("0".repeat(64)));
    static final InetSocketAddress PEER = address("198.51.100.3", 50000);

    RelayServer relay;
    private final RelayServerConfig relayConfig;
    private final SplittableRandom relayRandom;
    final TurnAllocation allocation;
    final List<StunMessage> sentToRelay = new ArrayList<>();
    final List<Long> sentAt = new ArrayList<>();
    final List<TurnEvent> events = new ArrayList<>();
    final List<byte[]> peerReceived = new ArrayList<>();
    final List<StunMessage> fromRelay = new ArrayList<>();
    /** Client messages matching this never reach the relay. */
    Predicate<StunMessage> dropToRelay = message -> false;
    /** Relay messages matching this never reach the client. */
    Predicate<StunMessage> dropFromRelay = message -> false;
    boolean relayAlive = true;
    long now = START;

    TurnHarness(boolean dualStackRelay, TurnCredentials credentials, long seed) {
        this(dualStackRelay, credentials, seed, true);
    }

    TurnHarness(boolean dualStackRelay, TurnCredentials credentials, long seed, boolean relayAliveAtStart) {
        this.relayAlive = relayAliveAtStart;
        SplittableRandom random = new SplittableRandom(seed);
        relayConfig = RelayServerConfig.of((Inet4Address) RELAY_V4.getAddress(),
                dualStackRelay ? (Inet6Address) RELAY_V6.getAddress() : null);
        relayRandom = random.split();
        relay = new RelayServer(relayConfig, SECRET, relayRandom);
        RelayAddresses servers = dualStackRelay ? new RelayAddresses(RELAY_V4, RELAY_V6) : RelayAddresses.of(RELAY_V4);
        allocation = new TurnAllocation(servers, credentials, "snownet; session=TEST", random.split(), START);
        drain();
    }

    static TurnHarness dualStack() {
        return new TurnHarness(true, validCredentials(), 1);
    }

    static TurnHarness ipv4Only() {
        return new TurnHarness(false, validCredentials(), 1);
    }

    /** A relay that never answers anything. */
    static TurnHarness deadRelay() {
        return new TurnHarness(false, validCredentials(), 1, false);
    }

    static TurnCredentials validCredentials() {
        RelayCredentials.Issued issued = RelayCredentials.issue(SECRET, WALL_CLOCK.plusSeconds(86_400), new SplittableRandom(3));
        return new TurnCredentials(issued.username().toString(), issued.password(), TurnCredentials.FIREZONE_REALM);
    }

    void advanceTo(long target) {
        while (true) {
            drain();
            long next = Math.min(allocation.pollTimeout(), relay.pollTimeout());
            if (next > target) {
                break;
            }
            now = Math.max(now, next);
            allocation.handleTimeout(now);
            relay.handleTimeout(now);
        }
        now = target;
        drain();
    }

    void advanceSeconds(double seconds) {
        advanceTo(now + (long) (seconds * 1e9));
    }

    /** The relay restarts with the same stamp secret: every allocation, channel and nonce is forgotten. */
    void restartRelay() {
        relay = new RelayServer(relayConfig, SECRET, relayRandom);
    }

    /** The peer sends {@code payload} to our allocation's port; returns whether it reached us through the relay. */
    boolean peerSends(byte[] payload) {
        InetSocketAddress relayed = allocation.relayed(true).orElseThrow().address();
        Forward forward = relay.handlePeerInput(ByteBuffer.wrap(payload), PEER, relayed.getPort(), now);
        if (forward == null || !relayAlive) {
            return false;
        }
        ByteBuffer datagram = ByteBuffer.wrap(ChannelData.encode(forward.channel(), payload, false));
        return allocation.receiveChannelData(datagram, now) != null;
    }

    void drain() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (TurnTransmit transmit = allocation.pollTransmit(); transmit != null; transmit = allocation.pollTransmit()) {
                progress = true;
                deliverToRelay(transmit);
            }
            while (relay.pollEvent() != null) {
                progress = true;
            }
            for (Transmit transmit = relay.pollTransmit(); transmit != null; transmit = relay.pollTransmit()) {
                progress = true;
                if (relayAlive && !dropFromRelay.test(decode(transmit.payload()))) {
                    fromRelay.add(decode(transmit.payload()));
                    allocation.handleStun(ByteBuffer.wrap(transmit.payload()), RELAY_V4, CLIENT, now);
                }
            }
            for (TurnEvent event = allocation.pollEvent(); event != null; event = allocation.pollEvent()) {
                events.add(event);
            }
        }
    }

    private void deliverToRelay(TurnTransmit transmit) {
        byte[] bytes = transmit.payload();
        if ((bytes[0] & 0xFF) >= 0x40) {
            Forward forward = relay.handleClientInput(ByteBuffer.wrap(bytes), CLIENT, now, unixMillis());
            if (forward != null && relayAlive) {
                peerReceived.add(Arrays.copyOfRange(bytes, forward.payloadOffset(), forward.payloadOffset() + forward.payloadLength()));
            }
            return;
        }
        StunMessage message = decode(bytes);
        sentToRelay.add(message);
        sentAt.add(now);
        if (!relayAlive || dropToRelay.test(message) || !transmit.destination().equals(RELAY_V4)) {
            return;
        }
        relay.handleClientInput(ByteBuffer.wrap(bytes), CLIENT, now, unixMillis());
    }

    long unixMillis() {
        return WALL_CLOCK.toEpochMilli() + (now - START) / 1_000_000L;
    }

    List<StunMessage> sent(int method) {
        return sentToRelay.stream().filter(m -> m.method() == method).toList();
    }

    static StunMessage decode(byte[] bytes) {
        return ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).message();
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
