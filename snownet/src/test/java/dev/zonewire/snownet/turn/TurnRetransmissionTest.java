package dev.zonewire.snownet.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.stun.StunMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnRetransmissionTest {

    @Test
    void aSilentRelayGetsFourBindingsAt0And1And2point5And4point75SecondsThenIsGivenUp() {
        TurnHarness silent = TurnHarness.deadRelay();

        silent.advanceSeconds(8.124);
        assertThat(silent.allocation.freeReason()).isEmpty();
        silent.advanceSeconds(0.001);

        List<Long> offsets = silent.sentAt.stream().map(t -> (t - TurnHarness.START) / 1_000_000L).toList();
        assertThat(offsets).containsExactly(0L, 1000L, 2500L, 4750L);
        assertThat(silent.allocation.freeReason()).contains(FreeReason.NO_RESPONSE);
    }

    @Test
    void aRelayThatStopsAnsweringIsDetectedAtTheNextRefreshAndItsCandidatesWithdrawn() {
        TurnHarness harness = TurnHarness.ipv4Only();
        Candidate relayed = harness.allocation.relayed(true).orElseThrow();
        harness.relayAlive = false;

        harness.advanceSeconds(300 + 8.125);

        assertThat(harness.sent(StunMethod.REFRESH)).hasSize(4);
        assertThat(harness.events).contains(new TurnEvent.CandidateRemoved(relayed));
        assertThat(harness.allocation.freeReason()).contains(FreeReason.NO_RESPONSE);
    }

    @Test
    void aRefreshAskedForByTheOwnerDetectsADeadRelayWithinItsRetransmissions() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.advanceSeconds(10);
        harness.relayAlive = false;

        harness.allocation.refresh(harness.now);
        harness.advanceSeconds(8.125);

        assertThat(harness.allocation.hasAllocation()).isFalse();
        assertThat(harness.allocation.freeReason()).contains(FreeReason.NO_RESPONSE);
    }

    @Test
    void aRetransmittedAuthenticatedRequestGetsANewTransactionId() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.dropToRelay = message -> message.method() == StunMethod.REFRESH;

        harness.advanceSeconds(303);

        assertThat(harness.sent(StunMethod.REFRESH)).hasSize(3)
                .extracting(m -> m.transactionId()).doesNotHaveDuplicates();
    }

    @Test
    void afterADeadRelayIsRefreshedByTheOwnerItStartsOverWithBinding() {
        TurnHarness harness = TurnHarness.deadRelay();
        harness.advanceSeconds(10);
        harness.relayAlive = true;

        harness.allocation.refresh(harness.now);
        harness.advanceSeconds(1);

        assertThat(harness.allocation.hasAllocation()).isTrue();
        assertThat(harness.allocation.freeReason()).isEmpty();
    }
}
