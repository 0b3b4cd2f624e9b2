package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec 2.5 test 7: a gateway never gives up, and its delays settle at the 60 s base. */
class UnlimitedWindowTest {

    @Test
    void aThousandFailuresOverDaysNeverGiveUpAndSettleBetweenThirtyAndNinetySeconds() {
        var portal = new SimulatedPortal(
                ChannelConfig.defaults("Debian/13 connlib/1.4.2", null, BackoffPolicy.gateway()), LoginUrl.Mode.GATEWAY, 10);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.HttpStatus(502, java.util.Optional.empty(), "Bad Gateway"));
        portal.client.connect(0);

        while (portal.disconnects().size() < 1000) {
            portal.advanceBy(SimulatedPortal.MINUTE);
        }

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.now).isGreaterThan(10 * 3600 * SimulatedPortal.SECOND);
        assertThat(portal.disconnects().subList(20, 1000))
                .allSatisfy(d -> assertThat(d.what().retryIn().toMillis()).isBetween(30_000L, 90_000L));
    }
}
