package dev.zonewire.snownet.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

class ReleaseTest {

    @Test
    void releasingDeletesTheAllocationOnTheRelay() {
        TurnHarness harness = TurnHarness.ipv4Only();

        harness.allocation.release(harness.now);
        harness.drain();

        assertThat(harness.sent(StunMethod.REFRESH)).singleElement().satisfies(refresh ->
                assertThat(refresh.first(StunAttribute.Lifetime.class)).contains(new StunAttribute.Lifetime(0)));
        assertThat(harness.relay.allocationCount()).isZero();
        assertThat(harness.allocation.freeReason()).contains(FreeReason.RELEASED);
        assertThat(harness.allocation.hasAllocation()).isFalse();
    }

    @Test
    void releasingWhenTheRelayIsGoneStillEndsWithinTheRetransmissions() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.relayAlive = false;

        harness.allocation.release(harness.now);
        harness.advanceSeconds(8.125);

        assertThat(harness.allocation.freeReason()).contains(FreeReason.RELEASED);
    }

    @Test
    void releasingBeforeAnyAllocationEndsAtOnce() {
        TurnHarness harness = TurnHarness.deadRelay();

        harness.allocation.release(harness.now);

        assertThat(harness.allocation.freeReason()).contains(FreeReason.RELEASED);
    }
}
