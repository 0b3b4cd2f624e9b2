package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A lossy network that also reorders: ICE and TURN retransmit, and the connection still forms. */
class LossAndReorderingSimulationTest {

    @ParameterizedTest(name = "client {0}, gateway {1}, seed {2}")
    @CsvSource({
            "PORT_RESTRICTED, PORT_RESTRICTED, 1",
            "PORT_RESTRICTED, PORT_RESTRICTED, 2",
            "ENDPOINT_INDEPENDENT, SYMMETRIC, 3",
            "SYMMETRIC, PORT_RESTRICTED, 4",
            "SYMMETRIC, SYMMETRIC, 5",
            "SYMMETRIC, SYMMETRIC, 6",
    })
    void withTenPercentLossAndReorderingTheConnectionStillFormsOnTheExpectedPath(Nat.Kind clientNat, Nat.Kind gatewayNat,
                                                                               long seed) {
        Scenario scenario = new Scenario(seed, clientNat, gatewayNat, 2);
        scenario.network.lossRate = 0.10;
        scenario.network.jitterNanos = Duration.ofMillis(30).toNanos();
        scenario.withRelays();
        scenario.run(Duration.ofSeconds(2));

        scenario.authorizeFlow();
        boolean established = scenario.runUntil(scenario::clientEstablished, Duration.ofSeconds(15));
        scenario.run(Duration.ofSeconds(5));

        assertThat(established).isTrue();
        assertThat(scenario.clientPath().isDirect()).isEqualTo(NatMatrixSimulationTest.expectsDirect(clientNat, gatewayNat));
        // Up to six lossy hops per round trip when both sides relay: 0.9^6 lets about half through.
        assertThat(scenario.pingRoundTrips(50, Duration.ofMillis(50))).isGreaterThanOrEqualTo(20);
        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionEstablished.class)).hasSize(1);
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.network.dropped).isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"7", "8"})
    void reorderingAloneLosesNoPing(long seed) {
        Scenario scenario = new Scenario(seed, Nat.Kind.PORT_RESTRICTED, Nat.Kind.ENDPOINT_INDEPENDENT, 1);
        scenario.network.jitterNanos = Duration.ofMillis(40).toNanos();
        scenario.withRelays();
        scenario.run(Duration.ofSeconds(1));
        scenario.authorizeFlow();
        scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5));
        scenario.run(Duration.ofSeconds(1));

        assertThat(scenario.pingRoundTrips(100, Duration.ofMillis(5))).isEqualTo(100);
    }
}
