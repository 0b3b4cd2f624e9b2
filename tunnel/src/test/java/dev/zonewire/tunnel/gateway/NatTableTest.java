package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NatTableTest {
    private static final InetAddress PROXY_A = IpLiterals.parse("100.96.0.1");
    private static final InetAddress PROXY_B = IpLiterals.parse("100.96.0.5");
    private static final InetAddress REAL = IpLiterals.parse("198.51.100.7");
    private static final long SECOND = 1_000_000_000L;

    private final NatTable nat = new NatTable(NatTable.DEFAULT_MAX_SESSIONS);

    @Test
    void aReplyWithinSixtySecondsTranslatesBackToTheProxyAndTheClientsPort() {
        int outside = nat.translateOutgoing(TransportProtocol.UDP, 40000, PROXY_A, REAL, 0);
        nat.handleTimeout(59 * SECOND);

        NatTable.Key inside = nat.translateIncoming(TransportProtocol.UDP, outside, REAL, 59 * SECOND);

        assertThat(outside).isEqualTo(40000);
        assertThat(inside).isEqualTo(new NatTable.Key(TransportProtocol.UDP, 40000, PROXY_A));
    }

    @Test
    void aReplyAfterSixtySilentSecondsFindsNoSession() {
        int outside = nat.translateOutgoing(TransportProtocol.TCP, 40000, PROXY_A, REAL, 0);

        nat.handleTimeout(60 * SECOND);

        assertThat(nat.translateIncoming(TransportProtocol.TCP, outside, REAL, 60 * SECOND)).isNull();
        assertThat(nat.size()).isZero();
    }

    @Test
    void repliesKeepTheSessionAliveToo() {
        int outside = nat.translateOutgoing(TransportProtocol.TCP, 40000, PROXY_A, REAL, 0);
        nat.translateIncoming(TransportProtocol.TCP, outside, REAL, 50 * SECOND);

        nat.handleTimeout(100 * SECOND);

        assertThat(nat.translateIncoming(TransportProtocol.TCP, outside, REAL, 100 * SECOND)).isNotNull();
    }

    @Test
    void twoProxyIpsOnTheSameRealIpWithTheSamePortGetDistinctOutsidePorts() {
        int first = nat.translateOutgoing(TransportProtocol.UDP, 5000, PROXY_A, REAL, 0);
        int second = nat.translateOutgoing(TransportProtocol.UDP, 5000, PROXY_B, REAL, 0);

        assertThat(first).isEqualTo(5000);
        assertThat(second).isEqualTo(5001);
        assertThat(nat.translateIncoming(TransportProtocol.UDP, 5001, REAL, 0).address()).isEqualTo(PROXY_B);
    }

    @Test
    void aCollisionOnTheHighestPortWrapsToOne() {
        nat.translateOutgoing(TransportProtocol.UDP, 65535, PROXY_A, REAL, 0);

        assertThat(nat.translateOutgoing(TransportProtocol.UDP, 65535, PROXY_B, REAL, 0)).isEqualTo(1);
    }

    @Test
    void theSameFlowReusesItsSession() {
        int first = nat.translateOutgoing(TransportProtocol.ICMP_ECHO, 7, PROXY_A, REAL, 0);
        int again = nat.translateOutgoing(TransportProtocol.ICMP_ECHO, 7, PROXY_A, REAL, SECOND);

        assertThat(again).isEqualTo(first);
        assertThat(nat.size()).isEqualTo(1);
    }

    @Test
    void protocolsDoNotShareSessions() {
        nat.translateOutgoing(TransportProtocol.UDP, 5000, PROXY_A, REAL, 0);

        assertThat(nat.translateOutgoing(TransportProtocol.TCP, 5000, PROXY_B, REAL, 0)).isEqualTo(5000);
        assertThat(nat.translateIncoming(TransportProtocol.ICMP_ECHO, 5000, REAL, 0)).isNull();
    }

    @Test
    void aFullTableRefusesNewFlowsButServesExistingOnes() {
        NatTable small = new NatTable(2);
        small.translateOutgoing(TransportProtocol.UDP, 1000, PROXY_A, REAL, 0);
        small.translateOutgoing(TransportProtocol.UDP, 1001, PROXY_A, REAL, 0);

        assertThat(small.translateOutgoing(TransportProtocol.UDP, 1002, PROXY_A, REAL, 0)).isEqualTo(-1);
        assertThat(small.translateOutgoing(TransportProtocol.UDP, 1000, PROXY_A, REAL, 0)).isEqualTo(1000);
        small.handleTimeout(60 * SECOND);
        assertThat(small.translateOutgoing(TransportProtocol.UDP, 1002, PROXY_A, REAL, 60 * SECOND)).isEqualTo(1002);
    }

    @Test
    void aProxyIpMovedToAnotherRealIpStartsAFreshSession() {
        InetAddress otherReal = IpLiterals.parse("198.51.100.8");
        nat.translateOutgoing(TransportProtocol.UDP, 5000, PROXY_A, REAL, 0);

        nat.translateOutgoing(TransportProtocol.UDP, 5000, PROXY_A, otherReal, SECOND);

        assertThat(nat.translateIncoming(TransportProtocol.UDP, 5000, REAL, SECOND)).isNull();
        assertThat(nat.translateIncoming(TransportProtocol.UDP, 5000, otherReal, SECOND)).isNotNull();
        assertThat(nat.size()).isEqualTo(1);
    }
}
