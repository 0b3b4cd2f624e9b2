package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.CLIENT;
import static dev.zonewire.snownet.turn.TurnHarness.RELAY_V4;
import static dev.zonewire.snownet.turn.TurnHarness.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A relay's answer naming an address no candidate can have (port 0) is survived: the address is
 * ignored, and an allocation left without a usable relayed address ends.
 */
class UnusableAddressTest {
    private final TurnHarness harness = TurnHarness.deadRelay();

    private void fromRelay(StunMessage message, MessageProtection protection) {
        harness.allocation.handleStun(ByteBuffer.wrap(StunEncoder.encode(message, protection)), RELAY_V4, CLIENT,
                harness.now);
        harness.drain();
    }

    private StunMessage lastSent(int method) {
        return harness.sent(method).getLast();
    }

    @Test
    void aBindingAnswerMappingUsToPortZeroGivesNoServerReflexiveCandidateButTheRelayIsUsed() {
        StunMessage binding = lastSent(StunMethod.BINDING);

        fromRelay(StunMessage.successResponse(StunMethod.BINDING, binding.transactionId())
                .add(new StunAttribute.XorMappedAddress(address("198.51.100.2", 0))).build(), MessageProtection.NONE);

        assertThat(harness.allocation.serverReflexive(true)).isEmpty();
        assertThat(harness.events).isEmpty();
        assertThat(harness.allocation.activeServer()).contains(RELAY_V4);
        assertThat(harness.sent(StunMethod.ALLOCATE)).hasSize(1);
    }

    @Test
    void anAllocateAnswerWithOnlyARelayedPortZeroEndsTheAllocation() {
        StunMessage binding = lastSent(StunMethod.BINDING);
        fromRelay(StunMessage.successResponse(StunMethod.BINDING, binding.transactionId())
                .add(new StunAttribute.XorMappedAddress(CLIENT)).build(), MessageProtection.NONE);
        fromRelay(StunMessage.errorResponse(StunMethod.ALLOCATE, lastSent(StunMethod.ALLOCATE).transactionId(),
                        StunErrorCode.UNAUTHORIZED)
                .add(new StunAttribute.Realm(TurnCredentials.FIREZONE_REALM))
                .add(new StunAttribute.Nonce("nonce")).build(), MessageProtection.NONE);
        TurnCredentials credentials = harness.allocation.credentials();
        IntegrityKey key = IntegrityKey.longTerm(credentials.username(), credentials.realm(), credentials.password());

        fromRelay(StunMessage.successResponse(StunMethod.ALLOCATE, lastSent(StunMethod.ALLOCATE).transactionId())
                .add(new StunAttribute.XorRelayedAddress(address("198.51.100.101", 0)))
                .add(new StunAttribute.Lifetime(600)).build(), MessageProtection.integrity(key));

        assertThat(harness.allocation.hasAllocation()).isFalse();
        assertThat(harness.allocation.freeReason()).contains(FreeReason.PROTOCOL_FAILURE);
        assertThat(harness.events).noneMatch(event -> event instanceof TurnEvent.CandidateAdded added
                && added.candidate().kind() == Candidate.Kind.RELAYED);
    }
}
