package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.messages.ClientOutbound;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PendingFlowsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final UUID RESOURCE = UUID.randomUUID();

    private final PendingFlows flows = new PendingFlows();

    @Test
    void theFirstPacketAsksThePortalAndTheNextOnesWait() {
        ClientOutbound.CreateFlow first = flows.await(RESOURCE, new byte[] {1}, 0);
        ClientOutbound.CreateFlow second = flows.await(RESOURCE, new byte[] {2}, SECOND);

        assertThat(first.resourceId()).isEqualTo(RESOURCE);
        assertThat(second).isNull();
        assertThat(flows.take(RESOURCE)).containsExactly(new byte[] {1}, new byte[] {2});
    }

    @Test
    void thePortalIsAskedAgainAfterTwoSeconds() {
        flows.await(RESOURCE, new byte[] {1}, 0);

        assertThat(flows.await(RESOURCE, new byte[] {2}, 2 * SECOND)).isNotNull();
    }

    @Test
    void atMostAHundredAndTwentyEightPacketsWaitPerResourceAndTheOldestGo() {
        for (int i = 0; i < PendingFlows.PACKETS_PER_FLOW + 3; i++) {
            flows.await(RESOURCE, new byte[] {(byte) i}, 0);
        }

        List<byte[]> waiting = flows.take(RESOURCE);
        assertThat(waiting).hasSize(PendingFlows.PACKETS_PER_FLOW);
        assertThat(waiting.getFirst()).containsExactly(3);
        assertThat(flows.dropped()).isEqualTo(3);
    }

    @Test
    void aFlowWithoutAnswerIsGivenUpWithItsPackets() {
        flows.await(RESOURCE, new byte[] {1}, 0);

        flows.handleTimeout(PendingFlows.TIMEOUT_NANOS);

        assertThat(flows.take(RESOURCE)).isNull();
        assertThat(flows.dropped()).isEqualTo(1);
        assertThat(flows.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void recentlyConnectedGatewaysAreOfferedNewestFirst() {
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        flows.connectedTo(older);
        flows.connectedTo(newer);

        assertThat(flows.await(RESOURCE, null, 0).connectedGatewayIds()).containsExactly(newer, older);
    }

    @Test
    void aNetworkChangeForgetsEverything() {
        flows.connectedTo(UUID.randomUUID());
        flows.await(RESOURCE, new byte[] {1}, 0);

        flows.clear();

        assertThat(flows.size()).isZero();
        assertThat(flows.await(RESOURCE, null, 0).connectedGatewayIds()).isEmpty();
    }
}
