package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.wireguard.PublicKey;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** After a network change the client resets: everything is rebuilt and the connection comes back. */
class ResetSimulationTest {

    @ParameterizedTest(name = "client {0}, gateway {1}")
    @CsvSource({"PORT_RESTRICTED, PORT_RESTRICTED", "SYMMETRIC, SYMMETRIC", "ENDPOINT_INDEPENDENT, SYMMETRIC"})
    void resetClosesEveryConnectionAndANewFlowReestablishes(Nat.Kind clientNat, Nat.Kind gatewayNat) {
        Scenario scenario = new Scenario(21, clientNat, gatewayNat, 2).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        PublicKey oldKey = scenario.client.node.publicKey();

        scenario.client.node.reset(scenario.now);
        scenario.rebindClientSocket();
        scenario.client.flush(scenario.now);
        scenario.run(Duration.ofSeconds(1));
        scenario.authorizeFlow();
        boolean reestablished = scenario.runUntil(() ->
                scenario.client.eventsOf(NodeEvent.ConnectionEstablished.class).size() == 2
                        && scenario.gateway.eventsOf(NodeEvent.ConnectionEstablished.class).size() == 2, Duration.ofSeconds(5));

        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed<>(Scenario.CLIENT_CONNECTION));
        assertThat(scenario.client.node.publicKey()).isNotEqualTo(oldKey);
        assertThat(reestablished).isTrue();
        assertThat(scenario.clientPath().isDirect()).isEqualTo(NatMatrixSimulationTest.expectsDirect(clientNat, gatewayNat));
        assertThat(scenario.pingRoundTrips(10, Duration.ofMillis(100))).isEqualTo(10);
    }
}
