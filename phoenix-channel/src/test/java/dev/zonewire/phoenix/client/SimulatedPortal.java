package dev.zonewire.phoenix.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.common.Secret;
import dev.zonewire.phoenix.Decoded;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.V1JsonSerializer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Drives a {@link ChannelClient} in virtual time against a scripted portal, in one thread: it plays
 * the driver (answering DNS, sockets and frames as the portal's current behaviour says) and the
 * clock. Tests change the behaviour fields between {@link #runUntil} calls.
 */
final class SimulatedPortal {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final List<InetAddress> PORTAL_ADDRESSES = List.of(address("192.0.2.10"), address("2001:db8::10"));

    /** One thing that happened, with the virtual time it happened at. */
    record Timed<T>(long at, T what) {}

    /** How the portal answers the next upgrade. */
    sealed interface Upgrade {
        record Accept() implements Upgrade {}

        record Refuse(ConnectFailure failure) implements Upgrade {}

        /** The socket is accepted and then closed at once, before any frame. */
        record AcceptThenClose() implements Upgrade {}
    }

    final ChannelClient client;
    long now;
    Upgrade upgrade = new Upgrade.Accept();
    List<InetAddress> dnsAnswer = PORTAL_ADDRESSES;
    String dnsError = null;
    boolean dnsHangs = false;
    boolean answersJoin = true;
    JsonNode joinError = null;
    boolean answersHeartbeats = true;

    final List<Timed<DriverAction>> actions = new ArrayList<>();
    final List<Timed<ChannelEvent>> events = new ArrayList<>();
    final List<Timed<Message>> sentMessages = new ArrayList<>();
    private long connectedAttempt = -1;

    SimulatedPortal(BackoffPolicy policy, long seed) {
        this(ChannelConfig.defaults("relay/0.1.0", stampSecretJoin(), policy), LoginUrl.Mode.RELAY, seed);
    }

    SimulatedPortal(ChannelConfig config, LoginUrl.Mode mode, long seed) {
        this.client = new ChannelClient(config, url(mode, "key-one"), new SplittableRandom(seed));
    }

    static LoginUrl url(LoginUrl.Mode mode, String publicKey) {
        URI api = URI.create("wss://portal.example.test");
        Secret token = Secret.of("sekrit-token");
        return switch (mode) {
            case RELAY -> LoginUrl.forRelay(api, token, Optional.of("relay-1"), Optional.of((java.net.Inet4Address) address("203.0.113.7")), Optional.empty(), 3478);
            case GATEWAY -> LoginUrl.forGateway(api, token, "gateway-id", "gw-1", publicKey);
            case CLIENT -> LoginUrl.forClient(api, token, "client-id", "laptop", LoginUrl.DeviceInfo.NONE, publicKey);
        };
    }

    static JsonNode stampSecretJoin() {
        return JsonNodeFactory.instance.objectNode().put("stamp_secret", "ab".repeat(32));
    }

    /** Runs every input and timer up to and including {@code until}; the clock ends there. */
    void runUntil(long until) {
        drain();
        while (client.pollTimeout() <= until) {
            now = Math.max(now, client.pollTimeout());
            client.handleTimeout(now);
            drain();
        }
        now = Math.max(now, until);
    }

    void advanceBy(long nanos) {
        runUntil(now + nanos);
    }

    /** The current socket ends, as when the portal restarts or the network drops it. */
    void dropConnection(String reason) {
        client.handleClosed(connectedAttempt, reason, now);
        drain();
    }

    /** The portal sends a frame on the current socket. */
    void portalSends(Message message) {
        client.handleFrame(connectedAttempt, V1JsonSerializer.INSTANCE.encode(message), now);
        drain();
    }

    void portalSendsRaw(String frame) {
        client.handleFrame(connectedAttempt, frame, now);
        drain();
    }

    List<Long> openTimes() {
        return actions.stream().filter(a -> a.what() instanceof DriverAction.Open).map(Timed::at).toList();
    }

    List<Timed<ChannelEvent.Disconnected>> disconnects() {
        return events.stream().filter(e -> e.what() instanceof ChannelEvent.Disconnected)
                .map(e -> new Timed<>(e.at(), (ChannelEvent.Disconnected) e.what())).toList();
    }

    Optional<Timed<ChannelError>> failure() {
        return events.stream().filter(e -> e.what() instanceof ChannelEvent.Failed)
                .map(e -> new Timed<>(e.at(), ((ChannelEvent.Failed) e.what()).error())).findFirst();
    }

    List<Timed<Message>> sent(String event) {
        return sentMessages.stream().filter(m -> m.what().event().equals(event)).toList();
    }

    List<Long> joinedTimes() {
        return events.stream().filter(e -> e.what() instanceof ChannelEvent.Joined).map(Timed::at).toList();
    }

    private void drain() {
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            DriverAction action;
            while ((action = client.pollAction()) != null) {
                progressed = true;
                actions.add(new Timed<>(now, action));
                perform(action);
            }
            ChannelEvent event;
            while ((event = client.pollEvent()) != null) {
                events.add(new Timed<>(now, event));
            }
        }
    }

    private void perform(DriverAction action) {
        switch (action) {
            case DriverAction.Resolve resolve -> {
                if (dnsHangs) {
                    return;
                }
                if (dnsError != null) {
                    client.handleResolveFailed(resolve.attempt(), dnsError, now);
                } else {
                    client.handleResolved(resolve.attempt(), dnsAnswer, now);
                }
            }
            case DriverAction.Open open -> {
                switch (upgrade) {
                    case Upgrade.Accept() -> {
                        connectedAttempt = open.attempt();
                        client.handleConnected(open.attempt(), now);
                    }
                    case Upgrade.Refuse(ConnectFailure failure) -> client.handleConnectFailed(open.attempt(), failure, now);
                    case Upgrade.AcceptThenClose() -> {
                        connectedAttempt = open.attempt();
                        client.handleConnected(open.attempt(), now);
                        client.handleClosed(open.attempt(), "closed by the portal", now);
                    }
                }
            }
            case DriverAction.Send send -> answer(send);
            case DriverAction.Close close -> { }
        }
    }

    private void answer(DriverAction.Send send) {
        Message message = ((Decoded.Ok) V1JsonSerializer.INSTANCE.decode(send.frame())).message();
        sentMessages.add(new Timed<>(now, message));
        if (send.attempt() != connectedAttempt) {
            return;
        }
        boolean heartbeat = message.event().equals(Message.HEARTBEAT);
        boolean join = message.event().equals(Message.JOIN);
        if (heartbeat && answersHeartbeats || join && answersJoin) {
            boolean ok = !join || joinError == null;
            JsonNode response = ok ? JsonNodeFactory.instance.objectNode() : joinError;
            client.handleFrame(send.attempt(), V1JsonSerializer.INSTANCE.encode(
                    Message.reply(null, message.ref(), message.topic(), ok, response)), now);
        }
    }

    static long seconds(double s) {
        return Math.round(s * SECOND);
    }

    static Duration duration(long nanos) {
        return Duration.ofNanos(nanos);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
