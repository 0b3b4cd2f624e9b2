package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessageClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleConflictTest {

    @ParameterizedTest(name = "both controlling={0}, seed {1}")
    @CsvSource({"true, 1", "true, 2", "true, 3", "false, 1", "false, 2", "false, 3"})
    void twoAgentsClaimingTheSameRoleEndUpWithOneControllingSide(boolean bothControlling, long seed) {
        AgentPair pair = new AgentPair(bothControlling, bothControlling, seed).withHosts();

        pair.advanceMillis(500);

        assertThat(pair.left.isControlling()).isNotEqualTo(pair.right.isControlling());
        assertThat(pair.left.state()).isEqualTo(IceState.CONNECTED);
        assertThat(pair.right.state()).isEqualTo(IceState.CONNECTED);
        assertThat(eventsOf(pair.leftEvents, IceEvent.Nominated.class)).hasSize(1);
        assertThat(eventsOf(pair.rightEvents, IceEvent.Nominated.class)).hasSize(1);
    }

    @ParameterizedTest(name = "both controlling={0}")
    @CsvSource({"true", "false"})
    void theLoserOfTheTieBreakIsToldWith487(boolean bothControlling) {
        AgentPair pair = new AgentPair(bothControlling, bothControlling, 5).withHosts();

        pair.advanceMillis(500);

        assertThat(pair.sent).anyMatch(packet -> {
            var message = ConnectivityCheckFormatTest.decode(packet.bytes()).message();
            return message.messageClass() == StunMessageClass.ERROR_RESPONSE
                    && message.first(StunAttribute.ErrorCode.class).orElseThrow().code() == 487;
        });
    }
}
