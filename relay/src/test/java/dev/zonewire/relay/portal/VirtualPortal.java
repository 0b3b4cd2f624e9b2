package dev.zonewire.relay.portal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.Decoded;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.V1JsonSerializer;
import dev.zonewire.phoenix.client.ChannelClient;
import dev.zonewire.phoenix.client.ChannelConfig;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.ConnectFailure;
import dev.zonewire.phoenix.client.DriverAction;
import dev.zonewire.phoenix.client.LoginUrl;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The relay's portal channel in virtual time: a {@link ChannelClient} driven in one thread by a
 * scripted portal that accepts or refuses upgrades, answers joins and heartbeats, and can drop
 * the connection. Every event the channel reports goes to the listener (the link under test),
 * with the virtual clock set to when it happened.
 */
final class VirtualPortal {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final Instant EPOCH = Instant.parse("2026-11-24T00:00:00Z");

    final ChannelClient client;
    final List<Message> received = new ArrayList<>();
    final List<DriverAction.Open> opens = new ArrayList<>();
    private final Consumer<ChannelEvent> listener;
    /** How the next upgrades are answered: null accepts them. */
    ConnectFailure refusal;
    long now;
    private long connectedAttempt = -1;

    VirtualPortal(ChannelConfig config, LoginUrl url, Consumer<ChannelEvent> listener) {
        this.client = new ChannelClient(config, url, new SplittableRandom(1));
        this.listener = listener;
    }

    Instant instant() {
        return EPOCH.plusNanos(now);
    }

    void connect() {
        client.connect(now);
        drain();
    }

    /** Runs every timer up to and including {@code until}; the clock ends there. */
    void runUntil(long until) {
        drain();
        while (client.pollTimeout() <= until) {
            now = Math.max(now, client.pollTimeout());
            client.handleTimeout(now);
            drain();
        }
        now = Math.max(now, until);
    }

    /** The portal goes away (a restart, a network cut): the connection ends and upgrades are refused. */
    void goDown() {
        refusal = new ConnectFailure.Unreachable("ConnectException: Connection refused");
        client.handleClosed(connectedAttempt, "1006 connection lost", now);
        drain();
    }

    void comeBack() {
        refusal = null;
    }

    List<Message> joins() {
        return received.stream().filter(m -> m.event().equals(Message.JOIN)).toList();
    }

    private void drain() {
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (DriverAction action = client.pollAction(); action != null; action = client.pollAction()) {
                progressed = true;
                perform(action);
            }
            for (ChannelEvent event = client.pollEvent(); event != null; event = client.pollEvent()) {
                listener.accept(event);
            }
        }
    }

    private void perform(DriverAction action) {
        switch (action) {
            case DriverAction.Resolve resolve ->
                    client.handleResolved(resolve.attempt(), List.of(InetAddress.getLoopbackAddress()), now);
            case DriverAction.Open open -> {
                opens.add(open);
                if (refusal == null) {
                    connectedAttempt = open.attempt();
                    client.handleConnected(open.attempt(), now);
                } else {
                    client.handleConnectFailed(open.attempt(), refusal, now);
                }
            }
            case DriverAction.Send send -> answer(send);
            case DriverAction.Close _ -> {
            }
        }
    }

    private void answer(DriverAction.Send send) {
        Message message = ((Decoded.Ok) V1JsonSerializer.INSTANCE.decode(send.frame())).message();
        received.add(message);
        if (send.attempt() == connectedAttempt && message.ref() != null) {
            client.handleFrame(send.attempt(), V1JsonSerializer.INSTANCE.encode(Message.reply(null, message.ref(),
                    message.topic(), true, JsonNodeFactory.instance.objectNode())), now);
        }
    }
}
