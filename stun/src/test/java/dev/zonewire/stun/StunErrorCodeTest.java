package dev.zonewire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StunErrorCodeTest {

    @Test
    void roleConflictHasTheReasonPhraseOfRfc8445() {
        assertThat(StunErrorCode.reasonPhrase(StunErrorCode.ROLE_CONFLICT)).isEqualTo("Role Conflict");
    }

    @Test
    void aRoleConflictErrorSurvivesEncodingAndDecoding() {
        StunMessage response = StunMessage.errorResponse(StunMethod.BINDING, TransactionId.ofHex("0102030405060708090a0b0c"),
                StunErrorCode.ROLE_CONFLICT).build();

        StunDecodeResult decoded = StunDecoder.decode(StunEncoder.encode(response));

        assertThat(decoded).isInstanceOfSatisfying(StunDecodeResult.Decoded.class, d ->
                assertThat(d.message().first(StunAttribute.ErrorCode.class)).hasValue(new StunAttribute.ErrorCode(487, "Role Conflict")));
    }

    @Test
    void anUnlistedCodeGetsAGenericPhrase() {
        assertThat(StunErrorCode.reasonPhrase(599)).isEqualTo("Error 599");
    }
}
