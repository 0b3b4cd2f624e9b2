package dev.zonewire.relay.portal;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** A relay and a portal over a real WebSocket on loopback. */
@Timeout(60)
class RelayPortalConnectionTest {
    private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.getLoopbackAddress();

    private final StubPortal portal = new StubPortal();
    private RelayDaemon relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        portal.close();
    }

    @Test
    void theRelayJoinsWithItsStampSecretAndAddresses() throws Exception {
        portal.start();

        relay = RelayDaemon.start(config(StubPortal.TOKEN, Duration.ofMinutes(15)));

        await(() -> portal.joins().size() == 1);
        StubPortal.Join join = portal.joins().getFirst();
        assertThat(join.payload().get("stamp_secret").asText()).isEqualTo(relay.stampSecret().text().expose());
        assertThat(join.upgrade().params()).containsEntry("name", "relay-test").containsEntry("ipv4", "127.0.0.1")
                .containsEntry("port", Integer.toString(relay.listenPort()));
        assertThat(join.upgrade().userAgent()).isEqualTo("relay/0.1.0-test");
    }

    @Test
    void aPortalRestartIsFollowedByANewJoinWhileTheRelayKeepsRunning() throws Exception {
        portal.start();
        relay = RelayDaemon.start(config(StubPortal.TOKEN, Duration.ofMinutes(15)));
        await(() -> portal.joins().size() == 1);

        portal.stop();
        Thread.sleep(500);
        portal.start();

        await(() -> portal.joins().size() == 2);
        assertThat(portal.joins().get(1).payload()).isEqualTo(portal.joins().getFirst().payload());
        assertThat(relay.isRunning()).isTrue();
        assertThat(relay.failure()).isEmpty();
    }

    @Test
    void anOutageLongerThanTheWindowStopsTheRelay() throws Exception {
        portal.start();
        relay = RelayDaemon.start(config(StubPortal.TOKEN, Duration.ofSeconds(4)));
        await(() -> portal.joins().size() == 1);
        long outageStart = System.nanoTime();

        portal.stop();

        assertThat(relay.awaitTermination(Duration.ofSeconds(20))).isTrue();
        assertThat(System.nanoTime() - outageStart).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(relay.failure()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("Portal connection failed: gave up reconnecting to the portal after"));
    }

    @Test
    void aRefusedTokenStopsTheRelayWithAClearMessage() throws Exception {
        portal.start();
        String wrongToken = "zw-rly-wrong-token-93e1";

        relay = RelayDaemon.start(config(wrongToken, Duration.ofMinutes(15)));

        assertThat(relay.awaitTermination(Duration.ofSeconds(20))).isTrue();
        assertThat(relay.failure()).hasValue("Portal connection failed: the portal refused the connection with "
                + "HTTP 401: Invalid token (the token was refused: check or renew it)");
    }

    @Test
    void theFirstStopRequestLeavesThePortalAndTheRelayDrains() throws Exception {
        portal.start();
        relay = RelayDaemon.start(config(StubPortal.TOKEN, Duration.ofMinutes(15)));
        await(() -> portal.openSockets() == 1);

        relay.requestStop();

        await(() -> portal.openSockets() == 0);
        assertThat(relay.awaitTermination(Duration.ofSeconds(5))).as("no allocations: drained at once").isTrue();
        assertThat(relay.failure()).isEmpty();
    }

    private RelayConfig config(String token, Duration giveUpAfter) {
        return RelayConfig.of(LOOPBACK, null).withBind(LOOPBACK, null).withListenPort(0).withHttp(null, null)
                .withPortal(new PortalSettings(portal.url(), Secret.of(token), Optional.of("relay-test"), giveUpAfter,
                        "0.1.0-test"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
