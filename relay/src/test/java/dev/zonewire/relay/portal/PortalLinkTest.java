package dev.zonewire.relay.portal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.common.Secret;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.client.ConnectFailure;
import dev.zonewire.stun.StampSecret;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static dev.zonewire.relay.portal.VirtualPortal.MINUTE;
import static dev.zonewire.relay.portal.VirtualPortal.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay's portal link in virtual time: what it joins with, when it gives up, and what ends it. */
class PortalLinkTest {
    private static final String TOKEN = "relay-group-token-4711";
    private static final StampSecret SECRET = StampSecret.of(Secret.of("5e".repeat(32)));
    private static final PortalSettings SETTINGS = PortalSettings.of(URI.create("wss://portal.example.test"),
            Secret.of(TOKEN), Optional.of("relay-eu-1"), "0.1.0");

    private final List<Instant> heartbeats = new ArrayList<>();
    private final List<Long> fatalTimes = new ArrayList<>();
    private final List<String> fatalReasons = new ArrayList<>();
    private final VirtualPortal portal = portal(SETTINGS);

    @Test
    void joinsTopicRelayWithTheStampSecretAndItsAddressesInTheUrl() {
        portal.connect();

        assertThat(portal.joins()).singleElement().satisfies(join -> {
            assertThat(join.topic()).isEqualTo("relay");
            assertThat(join.payload()).isEqualTo(JsonNodeFactory.instance.objectNode().put("stamp_secret", "5e".repeat(32)));
        });
        var open = portal.opens.getFirst();
        assertThat(open.userAgent()).isEqualTo("relay/0.1.0");
        assertThat(open.url().expose().toString()).isEqualTo(
                "wss://portal.example.test:443/relay/websocket?token=" + TOKEN + "&name=relay-eu-1&ipv4=203.0.113.7&port=3478");
    }

    @Test
    void heartbeatsReachTheHealthCheckWithTheirTime() {
        portal.connect();

        portal.runUntil(65 * SECOND);

        assertThat(heartbeats).containsExactly(VirtualPortal.EPOCH.plusSeconds(30), VirtualPortal.EPOCH.plusSeconds(60));
    }

    @Test
    void aPortalRestartIsSurvivedWithANewJoinOfTheSameSecret() {
        portal.connect();
        portal.runUntil(10 * MINUTE);

        portal.goDown();
        portal.runUntil(11 * MINUTE);
        portal.comeBack();
        portal.runUntil(13 * MINUTE);

        assertThat(portal.joins()).hasSize(2).extracting(Message::payload).containsOnly(portal.joins().getFirst().payload());
        assertThat(fatalReasons).isEmpty();
    }

    @Test
    void anOutageEndsTheRelayFifteenMinutesAfterItsStartHoweverLongTheConnectionLasted() {
        portal.connect();
        portal.runUntil(40 * MINUTE);
        long outageStart = portal.now;

        portal.goDown();
        portal.runUntil(outageStart + 14 * MINUTE);
        assertThat(fatalReasons).as("still retrying 14 minutes into the outage").isEmpty();
        portal.runUntil(outageStart + 16 * MINUTE);

        assertThat(fatalTimes).singleElement().satisfies(at -> assertThat(at - outageStart).isBetween(
                14 * MINUTE, 15 * MINUTE));
        assertThat(fatalReasons.getFirst())
                .startsWith("Portal connection failed: gave up reconnecting to the portal after")
                .contains("Connection refused");
    }

    @Test
    void theGiveUpWindowCanBeShortened() {
        VirtualPortal shortWindow = portal(SETTINGS.withGiveUpAfter(Duration.ofSeconds(20)));
        shortWindow.connect();
        shortWindow.runUntil(MINUTE);

        shortWindow.goDown();
        shortWindow.runUntil(2 * MINUTE);

        assertThat(fatalTimes).singleElement().satisfies(at -> assertThat(at - MINUTE).isBetween(0L, 20 * SECOND));
    }

    @Test
    void aRefusedTokenEndsTheRelayAtOnceWithAMessageWithoutTheToken() {
        portal.refusal = new ConnectFailure.HttpStatus(401, Optional.empty(), "Invalid token");

        portal.connect();

        assertThat(fatalTimes).containsExactly(0L);
        assertThat(fatalReasons.getFirst())
                .isEqualTo("Portal connection failed: the portal refused the connection with HTTP 401: Invalid token "
                        + "(the token was refused: check or renew it)")
                .doesNotContain(TOKEN);
    }

    private VirtualPortal portal(PortalSettings settings) {
        VirtualPortal[] holder = new VirtualPortal[1];
        PortalLink link = new PortalLink(heartbeats::add, () -> holder[0].instant(), reason -> {
            fatalTimes.add(holder[0].now);
            fatalReasons.add(reason);
        });
        holder[0] = new VirtualPortal(PortalLink.channelConfig(settings, SECRET),
                PortalLink.loginUrl(settings, (Inet4Address) address("203.0.113.7"), null, 3478), link);
        return holder[0];
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
