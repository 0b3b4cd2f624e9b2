package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.PeerPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A relay that dies mid-connection, without the portal saying so: the connection notices, moves to
 * the other relay and keeps its WireGuard session, instead of failing.
 */
class RelayFailureSimulationTest {

    @ParameterizedTest(name = "client {0}, gateway {1}, seed {2}")
    @CsvSource({
            "SYMMETRIC, PORT_RESTRICTED, 11",
            "SYMMETRIC, PORT_RESTRICTED, 12",
            "PORT_RESTRICTED, SYMMETRIC, 13",
            "SYMMETRIC, SYMMETRIC, 14",
            "SYMMETRIC, SYMMETRIC, 15",
    })
    void aDeadRelayIsReplacedByAnotherWithoutFailingTheConnection(Nat.Kind clientNat, Nat.Kind gatewayNat, long seed) {
        Scenario scenario = new Scenario(seed, clientNat, gatewayNat, 2).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        scenario.run(Duration.ofSeconds(2));
        SimRelay dead = scenario.relayInUse();
        assertThat(dead).isNotNull();

        dead.alive = false;
        scenario.network.blocked = datagram -> datagram.to().getAddress().equals(dead.listen.getAddress())
                || datagram.from().getAddress().equals(dead.listen.getAddress());
        long diedAt = scenario.now;
        boolean recovered = scenario.runUntil(() -> {
            scenario.client.ping(Scenario.CLIENT_CONNECTION, scenario.nextSequence++, scenario.now);
            scenario.run(Duration.ofMillis(200));
            List<Long> replies = scenario.client.echoReplyTimes;
            return !replies.isEmpty() && replies.getLast() > diedAt + Duration.ofMillis(500).toNanos();
        }, Duration.ofSeconds(30));

        assertThat(recovered).as("pings flow again").isTrue();
        // The path's checks fail after the 9.25 s ICE timeout (plus up to one 1.5 s keepalive); a
        // probe of the relay answers within 1.5 s; the new relayed candidates then work at once.
        assertThat(scenario.now - diedAt).as("recovery time").isLessThan(Duration.ofSeconds(15).toNanos());
        PeerPath<String> path = scenario.clientPath();
        assertThat(path.relay()).isNotEqualTo(dead.id);
        assertThat(path.remote().getAddress()).isNotEqualTo(dead.listen.getAddress());
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionEstablished.class)).hasSize(1);
        assertThat(scenario.pingRoundTrips(10, Duration.ofMillis(100))).isEqualTo(10);
    }
}
