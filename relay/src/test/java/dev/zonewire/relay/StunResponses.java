package dev.zonewire.relay;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on responses. */
final class StunResponses {
    private StunResponses() {
    }

    static void assertSuccess(StunMessage response) {
        assertThat(response.messageClass())
                .as("success, but got %s", response.first(StunAttribute.ErrorCode.class))
                .isEqualTo(StunMessageClass.SUCCESS_RESPONSE);
    }

    static void assertError(StunMessage response, int code) {
        assertThat(response.messageClass()).isEqualTo(StunMessageClass.ERROR_RESPONSE);
        assertThat(response.first(StunAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(code);
    }

    static long lifetime(StunMessage response) {
        return response.first(StunAttribute.Lifetime.class).orElseThrow().seconds();
    }
}
