package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

class AllocationMismatchTest {

    @Test
    void aLostAllocateSuccessIsRecoveredByDeletingAndAllocatingAgain() {
        TurnHarness harness = TurnHarness.deadRelay();
        harness.relayAlive = true;
        boolean[] dropped = {false};
        harness.dropFromRelay = message -> {
            boolean firstSuccess = !dropped[0] && message.method() == StunMethod.ALLOCATE
                    && message.messageClass() == StunMessageClass.SUCCESS_RESPONSE;
            dropped[0] |= firstSuccess;
            return firstSuccess;
        };

        harness.advanceSeconds(5);

        assertThat(harness.sent(StunMethod.REFRESH)).anySatisfy(refresh ->
                assertThat(refresh.first(StunAttribute.Lifetime.class)).contains(new StunAttribute.Lifetime(0)));
        assertThat(harness.allocation.hasAllocation()).isTrue();
        assertThat(harness.relay.allocationCount()).isEqualTo(1);
    }

    @Test
    void aRelayThatForgotTheAllocationAnswersChannelBindWith437AndTheClientAllocatesAndBindsAgain() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.restartRelay();

        harness.allocation.bindChannel(PEER, harness.now);
        harness.drain();

        assertThat(harness.sent(StunMethod.ALLOCATE).size()).isGreaterThan(2);
        assertThat(harness.relay.allocationCount()).isEqualTo(1);
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void aRelayThatForgotTheAllocationAnswersRefreshWith437AndTheClientAllocatesAgain() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.restartRelay();

        harness.advanceSeconds(300);

        assertThat(harness.relay.allocationCount()).isEqualTo(1);
        assertThat(harness.allocation.hasAllocation()).isTrue();
    }
}
