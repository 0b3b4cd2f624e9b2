package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The timelines of tunnel.md §4.5.3, t in seconds since the translation was made. */
class TranslationStateTest {
    private final TranslationState state = new TranslationState(UUID.randomUUID(), "app.example.com", IpAddress.parse("100.96.0.1"),
            IpAddress.parse("198.51.100.7"), 0);

    @Test
    void outgoingAt120CheckedAt121IsExpired() {
        state.onOutgoing(at(120));

        assertThat(state.isExpired(at(121))).isTrue();
    }

    @Test
    void outgoingAt110CheckedAt115IsNotExpired() {
        state.onOutgoing(at(110));

        assertThat(state.isExpired(at(115))).isFalse();
    }

    @Test
    void outgoingAt110And115CheckedAt120IsExpired() {
        state.onOutgoing(at(110));
        state.onOutgoing(at(115));

        assertThat(state.isExpired(at(120))).isTrue();
    }

    @Test
    void anIncomingPacketAfterTheOutgoingOneKeepsItAlive() {
        state.onOutgoing(at(120));
        state.onIncoming(at(120.2));

        assertThat(state.isExpired(at(121.2))).isFalse();
    }

    @Test
    void theGracePeriodMustHaveRunAFullSecond() {
        state.onOutgoing(at(119.99));

        assertThat(state.isExpired(at(120.01))).isFalse();
        assertThat(state.isExpired(at(120.99))).isTrue();
    }

    @Test
    void aTranslationNeverUsedDoesNotExpire() {
        assertThat(state.isExpired(at(121))).isFalse();
    }

    private static long at(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
