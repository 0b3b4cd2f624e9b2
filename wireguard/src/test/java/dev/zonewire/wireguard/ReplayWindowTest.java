package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The replay window against a plain model: a set of everything accepted and the highest counter. */
class ReplayWindowTest {
    @Property(tries = 300)
    void acceptsExactlyTheCountersTheModelAccepts(
            @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 40_000) Long> counters) {
        ReplayWindow window = new ReplayWindow();
        Set<Long> accepted = new HashSet<>();
        long highest = -1;

        for (long counter : counters) {
            boolean expected = !accepted.contains(counter) && (counter > highest || highest - counter <= ReplayWindow.WINDOW_SIZE);

            assertThat(window.mayAccept(counter)).isEqualTo(expected);
            assertThat(window.accept(counter)).as("counter %d after highest %d", counter, highest).isEqualTo(expected);
            if (expected) {
                accepted.add(counter);
                highest = Math.max(highest, counter);
            }
        }
    }

    @Property(tries = 100)
    void aJumpFarAheadForgetsEverythingBehindTheWindow(@ForAll @LongRange(min = 0, max = 1L << 50) long start) {
        ReplayWindow window = new ReplayWindow();
        window.accept(start);
        window.accept(start + 1);

        window.accept(start + 1_000_000);

        assertThat(window.accept(start + 1_000_000 - ReplayWindow.WINDOW_SIZE)).isTrue();
        assertThat(window.accept(start + 1_000_000 - ReplayWindow.WINDOW_SIZE - 1)).isFalse();
        assertThat(window.accept(start + 2)).isFalse();
    }

    @Test
    void countersNearTheUnsignedLimitAreComparedAsUnsigned() {
        ReplayWindow window = new ReplayWindow();

        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES - 2)).isTrue();
        assertThat(window.accept(5)).isFalse();
        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES - 3)).isTrue();
        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES - 2)).isFalse();
        assertThat(window.accept(Protocol.REJECT_AFTER_MESSAGES)).isFalse();
    }
}
