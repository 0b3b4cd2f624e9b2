package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.PEER;
import static dev.zonewire.snownet.turn.TurnHarness.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

    @Test
    void aWrongPasswordDrawsASigned401AndTheAllocationIsGivenUp() {
        TurnCredentials valid = TurnHarness.validCredentials();
        TurnCredentials wrong = new TurnCredentials(valid.username(), Secret.of("not-the-password"), valid.realm());

        TurnHarness harness = new TurnHarness(false, wrong, 1);

        assertThat(harness.allocation.freeReason()).contains(FreeReason.AUTHENTICATION_FAILED);
        assertThat(harness.sent(StunMethod.ALLOCATE)).hasSize(2);
        assertThat(harness.allocation.hasAllocation()).isFalse();
    }

    @Test
    void anExpiredCredentialIsRefusedTheSameWay() {
        TurnCredentials valid = TurnHarness.validCredentials();
        String expired = "1000000000:" + valid.username().substring(valid.username().indexOf(':') + 1);

        TurnHarness harness = new TurnHarness(false, new TurnCredentials(expired, valid.password(), valid.realm()), 1);

        assertThat(harness.allocation.freeReason()).contains(FreeReason.AUTHENTICATION_FAILED);
    }

    @Test
    void aNonceThatIsUsedUpIsReplacedTransparently() {
        TurnHarness harness = TurnHarness.ipv4Only();

        for (int i = 0; i < 150; i++) {
            harness.allocation.bindChannel(address("198.51.100.3", 50000 + i), harness.now);
            harness.drain();
        }

        long staleNonces = harness.fromRelay.stream()
                .filter(m -> m.messageClass() == StunMessageClass.ERROR_RESPONSE)
                .filter(m -> m.first(StunAttribute.ErrorCode.class).orElseThrow().code() == 438)
                .count();
        assertThat(staleNonces).isEqualTo(1);
        assertThat(harness.allocation.channelCount()).isEqualTo(150);
        for (int i = 0; i < 150; i++) {
            assertThat(harness.allocation.canSendTo(address("198.51.100.3", 50000 + i), harness.now)).isTrue();
        }
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void aUsernameTooLongForStunIsRefusedUpFrontNotWhenTheFirstSignedRequestIsMade() {
        String username = "\u00e9".repeat(300);

        assertThatThrownBy(() -> new TurnCredentials(username, Secret.of("password"), TurnCredentials.FIREZONE_REALM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCredentialsNeverShowInText() {
        TurnCredentials credentials = new TurnCredentials("1:salt", Secret.of("hunter2"), "firezone");

        assertThat(credentials.toString()).doesNotContain("hunter2");
    }
}
