package dev.zonewire.relay.portal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.client.BackoffPolicy;
import dev.zonewire.phoenix.client.ChannelConfig;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.LoginUrl;
import dev.zonewire.phoenix.client.UserAgent;
import dev.zonewire.stun.StampSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The relay's side of the portal connection (spec/relay.md section 6, portal-protocol.md 3.4):
 * the URL and join payload it connects with, and what it does with what the channel reports.
 * The relay joins topic {@code relay} with its stamp secret, so that the portal can issue TURN
 * credentials for it, and otherwise only sends heartbeats, which {@code heartbeatSent} hears
 * about (they feed /healthz). The data plane
 * never waits for the portal. A fatal channel error (the token refused, the portal disconnecting
 * the relay, an outage longer than the give-up window counted from the outage's first failure)
 * ends the relay: {@code onFatal} gets a sentence for the operator, which never holds the token.
 */
public final class PortalLink implements Consumer<ChannelEvent> {
    public static final String TOPIC = "relay";
    private static final Logger log = LoggerFactory.getLogger(PortalLink.class);

    private final Consumer<Instant> heartbeatSent;
    private final InstantSource clock;
    private final Consumer<String> onFatal;

    public PortalLink(Consumer<Instant> heartbeatSent, InstantSource clock, Consumer<String> onFatal) {
        this.heartbeatSent = heartbeatSent;
        this.clock = clock;
        this.onFatal = onFatal;
    }

    /** {@code <api url>/relay/websocket?token=..&name=..&ipv4=..&ipv6=..&port=..} (spec 1.1.1). */
    public static LoginUrl loginUrl(PortalSettings settings, Inet4Address publicIp4, Inet6Address publicIp6, int listenPort) {
        return LoginUrl.forRelay(settings.apiUrl(), settings.token(), settings.name(), Optional.ofNullable(publicIp4),
                Optional.ofNullable(publicIp6), listenPort);
    }

    /** The reference's channel settings, the relay's User-Agent, the join payload with the stamp secret, and the give-up window. */
    public static ChannelConfig channelConfig(PortalSettings settings, StampSecret secret) {
        var joinPayload = JsonNodeFactory.instance.objectNode().put("stamp_secret", secret.text().expose());
        return ChannelConfig.defaults(UserAgent.relay(settings.version()), joinPayload,
                BackoffPolicy.relay().withMaxElapsed(Optional.of(settings.giveUpAfter())));
    }

    @Override
    public void accept(ChannelEvent event) {
        switch (event) {
            case ChannelEvent.Joined _ -> log.info("Joined the portal");
            case ChannelEvent.HeartbeatSent _ -> heartbeatSent.accept(clock.instant());
            case ChannelEvent.Received received -> log.debug("Portal sent '{}'; nothing to do", received.event());
            case ChannelEvent.Failed failed -> onFatal.accept("Portal connection failed: " + failed.error().message());
            case ChannelEvent.Closed _ -> log.info("Left the portal");
            case ChannelEvent.Disconnected _ -> {
                // The channel logs the cause and when it retries; relaying goes on meanwhile.
            }
            case ChannelEvent.ReplyOk _, ChannelEvent.ReplyError _, ChannelEvent.PushesDropped _ -> {
                // The relay pushes nothing, so nothing is answered or queued.
            }
        }
    }
}
