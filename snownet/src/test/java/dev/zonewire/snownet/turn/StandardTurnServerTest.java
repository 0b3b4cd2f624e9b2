package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.CLIENT;
import static dev.zonewire.snownet.turn.TurnHarness.RELAY_V4;
import static dev.zonewire.snownet.turn.TurnHarness.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How the client copes with what a standard TURN server such as coturn does differently from
 * Firezone's relay: unsigned 401 and 438 challenges, and refusing a dual-family allocation.
 */
class StandardTurnServerTest {
    private static final TurnCredentials CREDENTIALS = new TurnCredentials("alice", Secret.of("secret"), "example.org");
    private static final IntegrityKey KEY = IntegrityKey.longTerm("alice", "example.org", Secret.of("secret"));
    private static final InetSocketAddress RELAYED = address("198.51.100.101", 60000);

    private final TurnAllocation allocation = new TurnAllocation(RelayAddresses.of(RELAY_V4), CREDENTIALS, "test",
            new SplittableRandom(8), 0);

    private StunMessage nextRequest() {
        TurnTransmit transmit = allocation.pollTransmit();
        assertThat(transmit).isNotNull();
        return TurnHarness.decode(transmit.payload());
    }

    private void answer(StunMessage response, boolean signed) {
        byte[] bytes = signed ? StunEncoder.encode(response, MessageProtection.integrity(KEY)) : StunEncoder.encode(response);
        allocation.handleStun(ByteBuffer.wrap(bytes), RELAY_V4, CLIENT, 0);
    }

    private StunMessage answerBindingAndGetAllocate() {
        StunMessage binding = nextRequest();
        answer(StunMessage.successResponse(StunMethod.BINDING, binding.transactionId())
                .add(new StunAttribute.XorMappedAddress(CLIENT)).build(), false);
        return nextRequest();
    }

    private static StunMessage challenge(StunMessage request, int code, String nonce) {
        return StunMessage.errorResponse(request.method(), request.transactionId(), code)
                .add(new StunAttribute.Realm("example.org")).add(new StunAttribute.Nonce(nonce)).build();
    }

    private static StunMessage allocated(StunMessage request) {
        return StunMessage.successResponse(StunMethod.ALLOCATE, request.transactionId())
                .add(new StunAttribute.XorRelayedAddress(RELAYED))
                .add(new StunAttribute.XorMappedAddress(CLIENT))
                .add(new StunAttribute.Lifetime(600)).build();
    }

    @Test
    void anUnsigned401ChallengeIsAnsweredWithTheNonce() {
        StunMessage allocate = answerBindingAndGetAllocate();

        answer(challenge(allocate, StunErrorCode.UNAUTHORIZED, "n1"), false);
        StunMessage retry = nextRequest();
        answer(allocated(retry), true);

        assertThat(retry.first(StunAttribute.Nonce.class)).contains(new StunAttribute.Nonce("n1"));
        assertThat(allocation.relayed(true)).isPresent();
    }

    @Test
    void staleNonceChallengesAreAnsweredButNotForever() {
        StunMessage request = answerBindingAndGetAllocate();
        int resent = 0;

        for (int i = 0; i < 10; i++) {
            answer(challenge(request, i == 0 ? StunErrorCode.UNAUTHORIZED : StunErrorCode.STALE_NONCE, "n" + i), false);
            TurnTransmit next = allocation.pollTransmit();
            if (next == null) {
                break;
            }
            resent++;
            request = TurnHarness.decode(next.payload());
        }

        assertThat(resent).isEqualTo(TurnAllocation.MAX_NONCE_RETRIES);
    }

    @Test
    void aRelayThatRefusesEveryNonceItGivesIsGivenUpRatherThanLeftHalfAllocated() {
        StunMessage request = answerBindingAndGetAllocate();

        for (int i = 0; i <= TurnAllocation.MAX_NONCE_RETRIES; i++) {
            answer(challenge(request, i == 0 ? StunErrorCode.UNAUTHORIZED : StunErrorCode.STALE_NONCE, "n" + i), false);
            TurnTransmit next = allocation.pollTransmit();
            if (next == null) {
                break;
            }
            request = TurnHarness.decode(next.payload());
        }

        assertThat(allocation.freeReason()).contains(FreeReason.PROTOCOL_FAILURE);
    }

    @Test
    void anUnsigned401ToARequestThatHadANonceMeansTheCredentialsAreWrong() {
        StunMessage allocate = answerBindingAndGetAllocate();
        answer(challenge(allocate, StunErrorCode.UNAUTHORIZED, "n1"), false);
        StunMessage retry = nextRequest();

        answer(challenge(retry, StunErrorCode.UNAUTHORIZED, "n2"), false);

        assertThat(allocation.freeReason()).contains(FreeReason.AUTHENTICATION_FAILED);
    }

    @Test
    void aSuccessThatIsNotSignedIsIgnored() {
        StunMessage allocate = answerBindingAndGetAllocate();
        answer(challenge(allocate, StunErrorCode.UNAUTHORIZED, "n1"), false);
        StunMessage retry = nextRequest();

        answer(allocated(retry), false);

        assertThat(allocation.hasAllocation()).isFalse();
    }

    @Test
    void aRelayRefusingTheSecondFamilyIsAskedForOneFamilyOnly() {
        StunMessage allocate = answerBindingAndGetAllocate();
        answer(challenge(allocate, StunErrorCode.UNAUTHORIZED, "n1"), false);
        StunMessage retry = nextRequest();

        answer(StunMessage.errorResponse(StunMethod.ALLOCATE, retry.transactionId(),
                StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED).build(), true);
        StunMessage singleFamily = nextRequest();
        answer(allocated(singleFamily), true);

        assertThat(retry.has(StunAttribute.AdditionalAddressFamily.class)).isTrue();
        assertThat(singleFamily.has(StunAttribute.AdditionalAddressFamily.class)).isFalse();
        assertThat(allocation.relayed(true)).isPresent();
    }

    @Test
    void aChallengeForAnotherRealmIsRefused() {
        StunMessage allocate = answerBindingAndGetAllocate();

        answer(StunMessage.errorResponse(StunMethod.ALLOCATE, allocate.transactionId(), StunErrorCode.UNAUTHORIZED)
                .add(new StunAttribute.Realm("elsewhere")).add(new StunAttribute.Nonce("n1")).build(), false);

        assertThat(allocation.freeReason()).contains(FreeReason.AUTHENTICATION_FAILED);
    }

    @Test
    void an420UnknownAttributeEndsTheAllocation() {
        StunMessage allocate = answerBindingAndGetAllocate();
        answer(challenge(allocate, StunErrorCode.UNAUTHORIZED, "n1"), false);
        StunMessage retry = nextRequest();

        answer(StunMessage.errorResponse(StunMethod.ALLOCATE, retry.transactionId(), StunErrorCode.UNKNOWN_ATTRIBUTE).build(), true);

        assertThat(allocation.freeReason()).contains(FreeReason.PROTOCOL_FAILURE);
    }
}
