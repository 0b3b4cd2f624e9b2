package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.dns.ProxyIps;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DnsResourceNatTest {
    private static final long SECOND = 1_000_000_000L;
    private static final UUID GATEWAY = UUID.randomUUID();
    private static final ProxyIps IPS = new ProxyIpAllocator().assign("app.example.com", UUID.randomUUID(), 0);

    private final DnsResourceNat nat = new DnsResourceNat();

    @Test
    void packetsWaitUntilTheGatewayConfirmsAndThenGoInOrder() {
        assertThat(nat.await(GATEWAY, IPS, new byte[] {1}, 0)).isTrue();
        assertThat(nat.await(GATEWAY, IPS, new byte[] {2}, 0)).isFalse();

        assertThat(nat.onStatus(GATEWAY, "app.example.com", true, SECOND)).containsExactly(new byte[] {1}, new byte[] {2});
        assertThat(nat.status(GATEWAY, "app.example.com")).isEqualTo(DnsResourceNat.Status.ACTIVE);
    }

    @Test
    void theRequestIsRepeatedEveryTwoSecondsThenGivenUp() {
        nat.await(GATEWAY, IPS, new byte[] {1}, 0);

        assertThat(nat.due(2 * SECOND - 1)).isEmpty();
        for (int attempt = 2; attempt <= DnsResourceNat.MAX_ATTEMPTS; attempt++) {
            assertThat(nat.due((attempt - 1) * 2 * SECOND)).containsExactly(new DnsResourceNat.Request(GATEWAY, IPS));
        }
        assertThat(nat.due(DnsResourceNat.MAX_ATTEMPTS * 2 * SECOND)).isEmpty();

        assertThat(nat.status(GATEWAY, "app.example.com")).isEqualTo(DnsResourceNat.Status.FAILED);
        assertThat(nat.dropped()).isEqualTo(1);
    }

    @Test
    void aRefusedNameIsAskedForAgainOnlyAfterTwoSeconds() {
        nat.await(GATEWAY, IPS, new byte[] {1}, 0);
        nat.onStatus(GATEWAY, "app.example.com", false, SECOND);

        assertThat(nat.retryDue(GATEWAY, "app.example.com", 2 * SECOND)).isFalse();
        assertThat(nat.retryDue(GATEWAY, "app.example.com", 3 * SECOND)).isTrue();
        assertThat(nat.await(GATEWAY, IPS, new byte[] {2}, 3 * SECOND)).isTrue();
    }

    @Test
    void atMostThirtyTwoPacketsWaitPerName() {
        for (int i = 0; i < DnsResourceNat.PACKETS_PER_NAME + 1; i++) {
            nat.await(GATEWAY, IPS, new byte[] {(byte) i}, 0);
        }

        assertThat(nat.bufferedPackets()).isEqualTo(DnsResourceNat.PACKETS_PER_NAME);
        assertThat(nat.onStatus(GATEWAY, "app.example.com", true, 0).getFirst()).containsExactly(1);
    }

    @Test
    void forgettingTheGatewayDropsItsWaitingPackets() {
        nat.await(GATEWAY, IPS, new byte[] {1}, 0);

        nat.forgetGateway(GATEWAY);

        assertThat(nat.status(GATEWAY, "app.example.com")).isNull();
        assertThat(nat.dropped()).isEqualTo(1);
    }
}
