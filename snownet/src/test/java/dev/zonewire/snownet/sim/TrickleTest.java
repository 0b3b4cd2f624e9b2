package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.NodeEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Candidates that appear or vanish after a connection exists reach the peer. */
class TrickleTest {

    @Test
    void candidatesLearnedAfterTheConnectionWasMadeAreTrickledAndUsed() {
        Scenario scenario = new Scenario(61, Nat.Kind.SYMMETRIC, Nat.Kind.PORT_RESTRICTED, 1);
        scenario.authorizeFlow();
        assertThat(scenario.client.eventsOf(NodeEvent.NewIceCandidate.class)).extracting(NodeEvent.NewIceCandidate::candidate)
                .allMatch(candidate -> candidate.endsWith("typ host"));

        scenario.withRelays();
        boolean established = scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5));

        assertThat(scenario.client.eventsOf(NodeEvent.NewIceCandidate.class)).extracting(NodeEvent.NewIceCandidate::candidate)
                .anyMatch(candidate -> candidate.endsWith("typ srflx"))
                .anyMatch(candidate -> candidate.endsWith("typ relay"));
        assertThat(established).as("a relayed path, which needed the trickled relay candidates").isTrue();
        assertThat(scenario.clientPath().isDirect()).isFalse();
    }

    @Test
    void aRelayThePortalRemovesIsWithdrawnAndItsConnectionsMoveToAnother() {
        Scenario scenario = new Scenario(62, Nat.Kind.SYMMETRIC, Nat.Kind.PORT_RESTRICTED, 2).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        String removed = scenario.clientPath().relay();
        assertThat(removed).isNotNull();
        int eventsBefore = scenario.client.events.size();

        scenario.client.node.updateRelays(List.of(removed), List.of(), scenario.now);
        scenario.client.flush(scenario.now);
        scenario.run(Duration.ofSeconds(2));

        List<NodeEvent<String>> after = scenario.client.events.subList(eventsBefore, scenario.client.events.size());
        assertThat(after).anyMatch(event -> event instanceof NodeEvent.InvalidateIceCandidate<String> invalidated
                && invalidated.candidate().endsWith("typ relay"));
        assertThat(after).anyMatch(event -> event instanceof NodeEvent.NewIceCandidate<String> added
                && added.candidate().endsWith("typ relay"));
        assertThat(scenario.client.node.relays()).doesNotContain(removed);
        assertThat(scenario.clientPath().relay()).isNotNull().isNotEqualTo(removed);
        assertThat(scenario.pingRoundTrips(5, Duration.ofMillis(100))).isEqualTo(5);
    }

    @Test
    void aPeerTricklingEndlessCandidatesGetsNoMoreChannelsThanCandidatesItMayHave() {
        Scenario scenario = new Scenario(63, null, null, 1).withRelays();
        scenario.authorizeFlow();
        assertThat(scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5))).isTrue();
        SimRelay relay = scenario.relays.getFirst();
        int channelsBefore = relay.boundChannelCount();

        for (int port = 20000; port < 20300; port++) {
            scenario.gateway.node.addRemoteCandidate(Scenario.GATEWAY_CONNECTION,
                    "candidate:1 1 udp 1694498559 203.0.113.7 " + port + " typ srflx", scenario.now);
        }
        scenario.gateway.flush(scenario.now);
        scenario.run(Duration.ofSeconds(2));

        int maxRemoteCandidates = 64;
        assertThat(relay.boundChannelCount() - channelsBefore).isLessThanOrEqualTo(maxRemoteCandidates);
    }
}
