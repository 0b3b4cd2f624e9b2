package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client's NAT comes back with a new public address (an ISP re-addressing it) while the client
 * keeps its socket. The gateway routes WireGuard by receiver index, so the client's very next
 * packet from the new address is accepted and answered there: the tunnel stays up, without a new
 * handshake and without waiting for ICE to notice.
 */
class RoamingSimulationTest {

    @ParameterizedTest(name = "gateway {0}")
    @CsvSource({"ENDPOINT_INDEPENDENT", "''"})
    void aPeerWhoseAddressChangesKeepsItsTunnel(String gatewayNatName) {
        Nat.Kind gatewayNat = gatewayNatName.isEmpty() ? null : Nat.Kind.valueOf(gatewayNatName);
        Scenario scenario = new Scenario(31, Nat.Kind.PORT_RESTRICTED, gatewayNat, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        assertThat(scenario.pingRoundTrips(5, Duration.ofMillis(100))).isEqualTo(5);

        scenario.client.nat.renumber(Scenario.ipv4("198.51.100.4"));
        int sequence = scenario.nextSequence++;
        long roamedAt = scenario.now;
        scenario.client.ping(Scenario.CLIENT_CONNECTION, sequence, scenario.now);
        scenario.run(Duration.ofMillis(100));

        assertThat(scenario.client.echoRepliesReceived).contains(sequence);
        assertThat(scenario.client.echoReplyTimes.getLast() - roamedAt).isLessThan(Duration.ofMillis(50).toNanos());
        assertThat(scenario.gateway.node.path(Scenario.GATEWAY_CONNECTION).orElseThrow().remote().getAddress())
                .isEqualTo(Scenario.ipv4("198.51.100.4"));
        assertThat(scenario.pingRoundTrips(50, Duration.ofMillis(200))).isEqualTo(50);
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionEstablished.class)).hasSize(1);
        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionEstablished.class)).hasSize(1);
    }
}
