package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_CREDENTIALS;
import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_CREDENTIALS;
import static dev.zonewire.snownet.ice.AgentPair.RIGHT_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunAttributeType;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

class ConnectivityCheckFormatTest {

    @Test
    void aCheckCarriesTheRfc8445AttributesInTheReferenceOrder() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();

        pair.advanceTo(AgentPair.START);

        ReceivedStunMessage check = decode(pair.sent.getFirst().bytes());
        assertThat(check.message().messageClass()).isEqualTo(StunMessageClass.REQUEST);
        assertThat(check.message().method()).isEqualTo(StunMethod.BINDING);
        assertThat(check.message().attributes()).extracting(StunAttribute::type).containsExactly(
                StunAttributeType.USERNAME, StunAttributeType.ICE_CONTROLLING, StunAttributeType.PRIORITY,
                StunAttributeType.MESSAGE_INTEGRITY, StunAttributeType.FINGERPRINT);
        assertThat(check.message().first(StunAttribute.Username.class)).hasValue(new StunAttribute.Username("rIgh:lEft"));
        assertThat(check.message().first(StunAttribute.Priority.class)).hasValue(new StunAttribute.Priority(1862270719L));
        assertThat(check.verifyMessageIntegrity(IntegrityKey.shortTerm(RIGHT_CREDENTIALS.password()))).isTrue();
        assertThat(check.verifyFingerprint()).isTrue();
    }

    @Test
    void theAnswerMapsTheSenderAndIsKeyedWithTheAnswerersPassword() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();

        pair.advanceMillis(10);

        ReceivedStunMessage answer = pair.sent.stream()
                .filter(p -> p.from().equals(RIGHT_HOST))
                .map(p -> decode(p.bytes()))
                .filter(m -> m.message().messageClass() == StunMessageClass.SUCCESS_RESPONSE)
                .findFirst().orElseThrow();
        assertThat(answer.message().attributes()).extracting(StunAttribute::type).containsExactly(
                StunAttributeType.XOR_MAPPED_ADDRESS, StunAttributeType.MESSAGE_INTEGRITY, StunAttributeType.FINGERPRINT);
        assertThat(answer.message().first(StunAttribute.XorMappedAddress.class))
                .hasValue(new StunAttribute.XorMappedAddress(LEFT_HOST));
        assertThat(answer.verifyMessageIntegrity(IntegrityKey.shortTerm(RIGHT_CREDENTIALS.password()))).isTrue();
    }

    @Test
    void theNominatedPairsChecksCarryUseCandidate() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();

        pair.advanceMillis(100);

        assertThat(pair.sent.stream()
                .filter(p -> p.from().equals(LEFT_HOST))
                .map(p -> decode(p.bytes()).message())
                .filter(m -> m.has(StunAttribute.UseCandidate.class)))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.has(StunAttribute.IceControlling.class)).isTrue());
    }

    @Test
    void theControlledSideSaysSoInItsChecks() {
        AgentPair pair = AgentPair.controllingAndControlled().withHosts();

        pair.advanceMillis(20);

        assertThat(pair.sent.stream()
                .filter(p -> p.from().equals(RIGHT_HOST))
                .map(p -> decode(p.bytes()).message())
                .filter(m -> m.messageClass() == StunMessageClass.REQUEST))
                .isNotEmpty()
                .allSatisfy(m -> {
                    assertThat(m.has(StunAttribute.IceControlled.class)).isTrue();
                    assertThat(m.has(StunAttribute.UseCandidate.class)).isFalse();
                    assertThat(m.first(StunAttribute.Username.class)).hasValue(new StunAttribute.Username(
                            LEFT_CREDENTIALS.ufrag() + ":" + RIGHT_CREDENTIALS.ufrag()));
                });
    }

    static ReceivedStunMessage decode(byte[] bytes) {
        return ((StunDecodeResult.Decoded) StunDecoder.decode(bytes)).received();
    }
}
