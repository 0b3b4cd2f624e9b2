package dev.zonewire.stun;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StunMessageTypeTest {

    @Test
    void knownTypesMatchTheRfcs() {
        assertThat(StunMessageClass.REQUEST.messageType(StunMethod.BINDING)).isEqualTo(0x0001);
        assertThat(StunMessageClass.SUCCESS_RESPONSE.messageType(StunMethod.BINDING)).isEqualTo(0x0101);
        assertThat(StunMessageClass.ERROR_RESPONSE.messageType(StunMethod.ALLOCATE)).isEqualTo(0x0113);
        assertThat(StunMessageClass.INDICATION.messageType(StunMethod.SEND)).isEqualTo(0x0016);
        assertThat(StunMessageClass.SUCCESS_RESPONSE.messageType(StunMethod.CHANNEL_BIND)).isEqualTo(0x0109);
    }

    @Property
    void classAndMethodSurviveTheBitInterleaving(@ForAll StunMessageClass messageClass,
                                                 @ForAll @IntRange(max = 0xFFF) int method) {
        int type = messageClass.messageType(method);

        assertThat(StunMessageClass.ofMessageType(type)).isEqualTo(messageClass);
        assertThat(StunMessageClass.methodOfMessageType(type)).isEqualTo(method);
        assertThat(type & 0xC000).isZero();
    }
}
