package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.DropReason;
import dev.zonewire.snownet.Node;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The longest packet the node takes (the MTU plus NAT46's 20 bytes) fits the datagram the peer accepts. */
class LargestPacketTest {
    private static final int IPV4_AND_ICMP_HEADERS = 28;

    private static void pingsOfTheLargestSizeCross(Scenario scenario) {
        scenario.withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();

        scenario.client.ping(Scenario.CLIENT_CONNECTION, 1, Node.MAX_PACKET - IPV4_AND_ICMP_HEADERS, scenario.now);
        scenario.run(Duration.ofSeconds(1));

        assertThat(scenario.client.echoRepliesReceived).containsExactly(1);
        assertThat(scenario.gateway.node.drops()).doesNotContainKey(DropReason.DATAGRAM_TOO_LARGE);
    }

    @Test
    void itCrossesADirectPath() {
        Scenario scenario = new Scenario(71, null, null, 1);

        pingsOfTheLargestSizeCross(scenario);

        assertThat(scenario.clientPath().isDirect()).isTrue();
    }

    @Test
    void itCrossesARelayedPathWithItsChannelDataHeader() {
        Scenario scenario = new Scenario(72, Nat.Kind.SYMMETRIC, Nat.Kind.SYMMETRIC, 1);

        pingsOfTheLargestSizeCross(scenario);

        assertThat(scenario.clientPath().isDirect()).isFalse();
    }
}
