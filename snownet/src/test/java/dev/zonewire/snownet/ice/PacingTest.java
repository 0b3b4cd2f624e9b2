package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.LEFT_HOST;
import static dev.zonewire.snownet.ice.AgentPair.START;
import static dev.zonewire.snownet.ice.AgentPair.address;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PacingTest {

    @Test
    void newChecksLeaveAtMostOnePerTa() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.lose = packet -> true;
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        for (int i = 1; i <= 5; i++) {
            pair.left.addRemoteCandidate(Candidate.host(address("192.0.2." + i, 5000)));
        }

        pair.advanceMillis(100);

        List<Long> firstFive = pair.sent.stream().limit(5)
                .map(p -> (p.arrivesAt() - pair.latencyNanos - START) / 1_000_000L).toList();
        assertThat(firstFive).containsExactly(0L, 5L, 10L, 15L, 20L);
    }

    @Test
    void theBestPairIsCheckedFirst() {
        AgentPair pair = AgentPair.controllingAndControlled();
        pair.lose = packet -> true;
        pair.left.addLocalCandidate(Candidate.host(LEFT_HOST));
        pair.left.addRemoteCandidate(Candidate.relayed(address("198.51.100.101", 50000)));
        pair.left.addRemoteCandidate(Candidate.serverReflexive(address("198.51.100.3", 40000), address("10.0.2.1", 1)));
        pair.left.addRemoteCandidate(Candidate.host(address("10.0.2.105", 5000)));

        pair.advanceMillis(20);

        assertThat(pair.sent).extracting(AgentPair.Packet::to).startsWith(
                address("10.0.2.105", 5000), address("198.51.100.3", 40000), address("198.51.100.101", 50000));
    }
}
