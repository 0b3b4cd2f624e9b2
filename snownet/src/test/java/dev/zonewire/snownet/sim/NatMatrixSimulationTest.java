package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.PeerPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of {no NAT, endpoint-independent, port-restricted, symmetric} for the client and the
 * gateway: the connection comes up on the path the NATs allow, within a bounded virtual time, and
 * carries pings.
 */
class NatMatrixSimulationTest {
    /** Null stands for "no NAT". */
    private static final Nat.Kind[] KINDS = {null, Nat.Kind.ENDPOINT_INDEPENDENT, Nat.Kind.PORT_RESTRICTED, Nat.Kind.SYMMETRIC};

    static Stream<Arguments> natPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Nat.Kind client : KINDS) {
            for (Nat.Kind gateway : KINDS) {
                pairs.add(Arguments.of(name(client), name(gateway), client, gateway, expectsDirect(client, gateway)));
            }
        }
        return pairs.stream();
    }

    /**
     * Hole punching fails only when one side maps per destination (symmetric) and the other filters
     * what it did not send to first (port-restricted or symmetric).
     */
    static boolean expectsDirect(Nat.Kind client, Nat.Kind gateway) {
        boolean filtering = Arrays.asList(Nat.Kind.PORT_RESTRICTED, Nat.Kind.SYMMETRIC).contains(client)
                && Arrays.asList(Nat.Kind.PORT_RESTRICTED, Nat.Kind.SYMMETRIC).contains(gateway);
        return !(filtering && (client == Nat.Kind.SYMMETRIC || gateway == Nat.Kind.SYMMETRIC));
    }

    @ParameterizedTest(name = "client {0}, gateway {1}")
    @MethodSource("natPairs")
    void theConnectionComesUpOnTheExpectedPath(String clientName, String gatewayName, Nat.Kind clientNat,
                                               Nat.Kind gatewayNat, boolean direct) {
        Scenario scenario = new Scenario(42, clientNat, gatewayNat, 2).withRelays();
        scenario.run(Duration.ofMillis(500));

        scenario.authorizeFlow();
        long authorizedAt = scenario.now;
        boolean established = scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5));
        scenario.run(Duration.ofSeconds(3));

        assertThat(established).as("established within 5 s").isTrue();
        assertThat(scenario.client.firstEventTime(NodeEvent.ConnectionEstablished.class) - authorizedAt)
                .as("setup time").isLessThan(Duration.ofSeconds(direct ? 1 : 3).toNanos());
        PeerPath<String> path = scenario.clientPath();
        assertThat(path).isNotNull();
        assertThat(path.isDirect()).as("direct path: " + path).isEqualTo(direct);
        assertThat(scenario.pingRoundTrips(10, Duration.ofMillis(100))).isEqualTo(10);
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
    }

    private static String name(Nat.Kind kind) {
        return kind == null ? "without NAT" : kind.name().toLowerCase().replace('_', '-');
    }
}
