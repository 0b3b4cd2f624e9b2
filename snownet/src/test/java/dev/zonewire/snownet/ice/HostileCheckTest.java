package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HostileCheckTest {
    private final SplittableRandom random = new SplittableRandom(99);

    private ReceivedStunMessage check(String username, IntegrityKey key, boolean withPriority) {
        StunMessage.Builder builder = StunMessage.request(StunMethod.BINDING, TransactionId.random(random))
                .add(new StunAttribute.Username(username))
                .add(new StunAttribute.IceControlling(1));
        if (withPriority) {
            builder.add(new StunAttribute.Priority(1862270719L));
        }
        return ConnectivityCheckFormatTest.decode(StunEncoder.encode(builder.build(),
                MessageProtection.integrity(key).withFingerprint()));
    }

    private AgentPair started() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.right.addLocalCandidate(Candidate.host(RIGHT_HOST));
        pair.advanceMillis(1);
        return pair;
    }

    @Test
    void aCheckKeyedWithTheWrongPasswordIsNotOurs() {
        AgentPair pair = started();
        IntegrityKey wrong = IntegrityKey.shortTerm(IceCredentials.of("xxxx", "wrongpasswordwrongpass").password());

        boolean ours = pair.right.handleStun(check("rIgh:lEft", wrong, true), LEFT_HOST, RIGHT_HOST, pair.now);

        assertThat(ours).isFalse();
        assertThat(pair.right.pollTransmit()).isNull();
        assertThat(pair.right.remoteCandidates()).isEmpty();
    }

    @Test
    void aCheckForAnotherUfragIsNotOurs() {
        AgentPair pair = started();
        IntegrityKey key = IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password());

        assertThat(pair.right.handleStun(check("zzzz:lEft", key, true), LEFT_HOST, RIGHT_HOST, pair.now)).isFalse();
    }

    @Test
    void anAuthenticCheckWithoutPriorityIsDroppedWithoutAnAnswer() {
        AgentPair pair = started();
        IntegrityKey key = IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password());

        boolean ours = pair.right.handleStun(check("rIgh:lEft", key, false), LEFT_HOST, RIGHT_HOST, pair.now);

        assertThat(ours).isTrue();
        assertThat(pair.right.pollTransmit()).isNull();
    }

    @Test
    void anAuthenticCheckFromPortZeroIsDroppedWithoutAnAnswer() {
        AgentPair pair = started();
        IntegrityKey key = IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password());

        boolean ours = pair.right.handleStun(check("rIgh:lEft", key, true), address("192.0.2.1", 0), RIGHT_HOST, pair.now);

        assertThat(ours).isTrue();
        assertThat(pair.right.pollTransmit()).isNull();
        assertThat(pair.right.remoteCandidates()).isEmpty();
    }

    @Test
    void aCheckToAnAddressThatIsNotOurCandidateIsDropped() {
        AgentPair pair = started();
        IntegrityKey key = IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password());

        pair.right.handleStun(check("rIgh:lEft", key, true), LEFT_HOST, address("10.9.9.9", 1), pair.now);

        assertThat(pair.right.pollTransmit()).isNull();
    }

    @Test
    void anAnswerToACheckWeNeverSentIsNotOurs() {
        AgentPair pair = started();
        StunMessage answer = StunMessage.successResponse(StunMethod.BINDING, TransactionId.random(random))
                .add(new StunAttribute.XorMappedAddress(RIGHT_HOST)).build();
        ReceivedStunMessage received = ConnectivityCheckFormatTest.decode(StunEncoder.encode(answer,
                MessageProtection.integrity(IntegrityKey.shortTerm(AgentPair.LEFT_CREDENTIALS.password())).withFingerprint()));

        assertThat(pair.right.handleStun(received, LEFT_HOST, RIGHT_HOST, pair.now)).isFalse();
    }

    @Test
    void aForgedAnswerToARealCheckIsNotAccepted() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.lose = packet -> true;
        pair.advanceMillis(1);
        ReceivedStunMessage sentCheck = ConnectivityCheckFormatTest.decode(pair.sent.getFirst().bytes());
        StunMessage forged = StunMessage.successResponse(StunMethod.BINDING, sentCheck.message().transactionId())
                .add(new StunAttribute.XorMappedAddress(LEFT_HOST)).build();
        ReceivedStunMessage received = ConnectivityCheckFormatTest.decode(StunEncoder.encode(forged,
                MessageProtection.integrity(IntegrityKey.shortTerm(IceCredentials.of("evil", "notthepasswordatallxyz").password()))));

        assertThat(pair.left.handleStun(received, RIGHT_HOST, LEFT_HOST, pair.now)).isFalse();
        pair.advanceMillis(1);
        assertThat(pair.left.state()).isEqualTo(IceState.CHECKING);
    }

    @Test
    void anAuthenticAnswerMappingUsToPortZeroStillCountsButTeachesNoCandidate() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();
        pair.lose = packet -> true;
        pair.advanceMillis(1);
        ReceivedStunMessage sentCheck = ConnectivityCheckFormatTest.decode(pair.sent.getFirst().bytes());
        StunMessage answer = StunMessage.successResponse(StunMethod.BINDING, sentCheck.message().transactionId())
                .add(new StunAttribute.XorMappedAddress(address("203.0.113.9", 0))).build();
        ReceivedStunMessage received = ConnectivityCheckFormatTest.decode(StunEncoder.encode(answer,
                MessageProtection.integrity(IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password())).withFingerprint()));

        boolean ours = pair.left.handleStun(received, RIGHT_HOST, LEFT_HOST, pair.now);

        assertThat(ours).isTrue();
        assertThat(pair.left.localPeerReflexiveCandidates()).isEmpty();
        pair.advanceMillis(1);
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
    }

    @Test
    void aFloodOfChecksFromNewAddressesLearnsABoundedNumberOfCandidates() {
        AgentPair pair = started();
        IntegrityKey key = IntegrityKey.shortTerm(AgentPair.RIGHT_CREDENTIALS.password());

        for (int i = 0; i < 1000; i++) {
            pair.right.handleStun(check("rIgh:lEft", key, true), address("192.0.2.1", 1000 + i), RIGHT_HOST, pair.now);
            while (pair.right.pollTransmit() != null) {
                // drained as a driver would
            }
        }

        assertThat(pair.right.remoteCandidates()).hasSize(IceAgent.MAX_REMOTE_CANDIDATES);
    }
}
