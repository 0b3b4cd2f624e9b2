package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.Message;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec 2.3 and 2.5 test 8: fatal errors bypass the backoff, whatever its state. */
class FatalErrorsTest {

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 422})
    void aClientErrorOnTheUpgradeStopsAtOnceEvenInTheMiddleOfAnOutage(int status) {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), status);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.Unreachable("down"));
        portal.client.connect(0);
        portal.runUntil(MINUTE);
        int attempts = portal.openTimes().size();

        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.HttpStatus(status, Optional.empty(), "Invalid token"));
        portal.runUntil(2 * MINUTE);

        assertThat(portal.openTimes()).hasSize(attempts + 1);
        var error = portal.failure().orElseThrow().what();
        assertThat(error).isEqualTo(new ChannelError.Rejected(status, "Invalid token"));
        assertThat(error.isAuthenticationError()).isEqualTo(status == 401 || status == 403);
        assertThat(error.message()).contains("HTTP " + status).contains("Invalid token");
    }

    @Test
    void aServiceUnavailableOnTheUpgradeIsRetried() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 11);
        portal.upgrade = new SimulatedPortal.Upgrade.Refuse(new ConnectFailure.HttpStatus(503, Optional.empty(), ""));
        portal.client.connect(0);

        portal.runUntil(seconds(5));

        assertThat(portal.failure()).isEmpty();
        assertThat(portal.openTimes().size()).isGreaterThan(2);
    }

    @Test
    void aDisconnectPushWhileConnectedStopsAtOnceAsAnAuthenticationError() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 12);
        portal.client.connect(0);
        portal.runUntil(MINUTE);

        portal.portalSends(Message.push("relay", "disconnect", JsonNodeFactory.instance.objectNode().put("reason", "token_expired")));
        portal.runUntil(10 * MINUTE);

        var error = portal.failure().orElseThrow().what();
        assertThat(error).isEqualTo(new ChannelError.TokenExpired("token_expired"));
        assertThat(error.isAuthenticationError()).isTrue();
        assertThat(portal.openTimes()).hasSize(1);
        assertThat(portal.actions.getLast().what()).isInstanceOf(DriverAction.Close.class);
    }

    @Test
    void aJoinErrorStopsAtOnceWithTheReason() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 13);
        portal.joinError = JsonNodeFactory.instance.objectNode().put("reason", "invalid_version");

        portal.client.connect(0);
        portal.runUntil(10 * MINUTE);

        var error = portal.failure().orElseThrow().what();
        assertThat(error).isEqualTo(new ChannelError.LoginFailed("relay", "invalid_version"));
        assertThat(error.message()).isEqualTo("the portal refused to join topic 'relay': invalid_version");
        assertThat(portal.openTimes()).hasSize(1);
    }
}
