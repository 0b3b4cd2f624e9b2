package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.DropReason;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.FailureReason;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Creating, replacing, removing and losing connections, and the timeouts that end them. */
class ConnectionLifecycleTest {

    private static Scenario established() {
        Scenario scenario = new Scenario(51, Nat.Kind.PORT_RESTRICTED, Nat.Kind.ENDPOINT_INDEPENDENT, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        return scenario;
    }

    @Test
    void packetsSentBeforeAnyPathExistsWaitAndArriveOnceOneDoes() {
        Scenario scenario = new Scenario(52, Nat.Kind.PORT_RESTRICTED, Nat.Kind.PORT_RESTRICTED, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();

        scenario.client.ping(Scenario.CLIENT_CONNECTION, 1, scenario.now);
        scenario.client.ping(Scenario.CLIENT_CONNECTION, 2, scenario.now);
        scenario.run(Duration.ofSeconds(2));

        assertThat(scenario.client.echoRepliesReceived).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aPacketLongerThanTheTunnelCarriesIsDroppedRatherThanKeptForLater() {
        Scenario scenario = new Scenario(53, Nat.Kind.PORT_RESTRICTED, Nat.Kind.PORT_RESTRICTED, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        ByteBuffer oversized = ByteBuffer.allocate(Node.HEADROOM + 1500 + Node.TAILROOM);
        oversized.position(Node.HEADROOM).limit(Node.HEADROOM + Node.MAX_PACKET + 1);

        Encapsulated result = scenario.client.node.encapsulate(Scenario.CLIENT_CONNECTION, oversized, scenario.now);

        assertThat(result).isEqualTo(new Encapsulated.Dropped(DropReason.PACKET_TOO_LARGE));
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        assertThat(scenario.pingRoundTrips(1, Duration.ofMillis(100))).isEqualTo(1);
    }

    @Test
    void upsertingTheSameCredentialsAgainKeepsTheConnection() {
        Scenario scenario = established();
        IceCredentials sameLocal = scenario.lastGatewayCredentials;

        scenario.gateway.node.upsertConnection(Scenario.GATEWAY_CONNECTION, scenario.client.node.publicKey(),
                PresharedKey.generate(scenario.random), sameLocal, scenario.lastClientCredentials, scenario.now);

        assertThat(scenario.pingRoundTrips(3, Duration.ofMillis(100))).isEqualTo(3);
        assertThat(scenario.gateway.events.stream().filter(e -> !(e instanceof NodeEvent.NewIceCandidate))
                .filter(e -> !(e instanceof NodeEvent.ConnectionEstablished))).isEmpty();
    }

    @Test
    void aSecondConnectionToTheSameKeyClosesTheFirst() {
        Scenario scenario = established();

        scenario.gateway.node.upsertConnection("another id", scenario.client.node.publicKey(),
                PresharedKey.generate(scenario.random), IceCredentials.random(scenario.random),
                IceCredentials.random(scenario.random), scenario.now);
        scenario.gateway.flush(scenario.now);

        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed<>(Scenario.GATEWAY_CONNECTION));
        assertThat(scenario.gateway.node.connectionIds()).containsExactly("another id");
    }

    @Test
    void aRemovedConnectionIsClosedAndRefusesPackets() {
        Scenario scenario = established();

        scenario.client.node.removeConnection(Scenario.CLIENT_CONNECTION, scenario.now);
        ByteBuffer packet = ByteBuffer.allocate(Node.HEADROOM + 40 + Node.TAILROOM).position(Node.HEADROOM).limit(Node.HEADROOM + 40);

        assertThat(scenario.client.node.pollEvent()).isEqualTo(new NodeEvent.ConnectionClosed<>(Scenario.CLIENT_CONNECTION));
        assertThat(scenario.client.node.encapsulate(Scenario.CLIENT_CONNECTION, packet, scenario.now))
                .isEqualTo(new Encapsulated.Dropped(DropReason.NOT_CONNECTED));
    }

    @Test
    void aConnectionWhosePeerNeverSendsACandidateFailsAfterTenSeconds() {
        Scenario scenario = new Scenario(53, null, null, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        long createdAt = scenario.now;
        scenario.gateway.node.upsertConnection("silent", PrivateKey.generate(scenario.random).publicKey(),
                PresharedKey.generate(scenario.random), IceCredentials.random(scenario.random),
                IceCredentials.random(scenario.random), scenario.now);

        scenario.run(Duration.ofSeconds(11));

        assertThat(scenario.gateway.eventsOf(NodeEvent.ConnectionFailed.class))
                .containsExactly(new NodeEvent.ConnectionFailed<>("silent", FailureReason.NO_REMOTE_CANDIDATES));
        assertThat(scenario.gateway.firstEventTime(NodeEvent.ConnectionFailed.class) - createdAt)
                .isEqualTo(Node.CANDIDATE_TIMEOUT.toNanos());
    }

    @Test
    void aConnectionThatFindsNoWorkingPairFailsAfterTheIceTimeout() {
        Scenario scenario = new Scenario(54, null, null, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.network.blocked = datagram -> datagram.to().getPort() != 3478 && datagram.from().getPort() != 3478
                && !datagram.to().getAddress().equals(scenario.relays.getFirst().listen.getAddress())
                && !datagram.from().getAddress().equals(scenario.relays.getFirst().listen.getAddress());
        scenario.relays.getFirst().alive = false;

        scenario.authorizeFlow();
        scenario.run(Duration.ofSeconds(25));

        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).singleElement()
                .extracting(NodeEvent.ConnectionFailed::reason).isIn(FailureReason.ICE_FAILED, FailureReason.CONNECT_TIMEOUT);
    }

    @Test
    void aConnectionWhosePeerVanishesFailsWithinTheIceTimeoutAndTheGrace() {
        Scenario scenario = established();
        long vanishedAt = scenario.now;
        scenario.network.blocked = datagram -> true;

        scenario.run(Duration.ofSeconds(30));

        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class))
                .containsExactly(new NodeEvent.ConnectionFailed<>(Scenario.CLIENT_CONNECTION, FailureReason.ICE_FAILED));
        assertThat(scenario.client.firstEventTime(NodeEvent.ConnectionFailed.class) - vanishedAt)
                .isLessThanOrEqualTo(Duration.ofMillis(9_250 + 1_500).plus(Node.DISCONNECT_GRACE).toNanos());
    }

    @Test
    void aQuietConnectionGoesIdleAndItsChecksSlowDownUntilTrafficResumes() {
        Scenario scenario = established();
        scenario.run(Node.IDLE_AFTER.plusSeconds(1));
        long deliveredBefore = scenario.network.delivered;
        scenario.run(Duration.ofSeconds(60));
        long quietMinute = scenario.network.delivered - deliveredBefore;

        long busyBefore = scenario.network.delivered;
        scenario.pingRoundTrips(60, Duration.ofSeconds(1));
        long busyMinute = scenario.network.delivered - busyBefore - 2 * 60;

        // Idle: one check per pair and side a minute, and WireGuard's 25 s keepalives.
        assertThat(quietMinute).as("datagrams in an idle minute").isLessThan(40);
        assertThat(busyMinute).as("check and keepalive datagrams in a busy minute").isGreaterThan(10 * quietMinute);
        assertThat(scenario.client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
    }

    @Test
    void closingReleasesEveryAllocation() {
        Scenario scenario = established();
        assertThat(scenario.relays.getFirst().allocationCount()).isEqualTo(2);

        scenario.client.node.close(scenario.now);
        scenario.client.flush(scenario.now);
        scenario.gateway.node.close(scenario.now);
        scenario.gateway.flush(scenario.now);
        scenario.run(Duration.ofSeconds(1));

        assertThat(scenario.relays.getFirst().allocationCount()).isZero();
        assertThat(scenario.client.node.isClosed()).isTrue();
        assertThat(scenario.gateway.node.isClosed()).isTrue();
    }
}
