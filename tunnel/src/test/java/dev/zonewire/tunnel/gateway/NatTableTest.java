package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.tunnel.net.Addresses;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NatTableTest {
    private static final IpAddress PROXY_A = IpAddress.parse("100.96.0.1");
    private static final IpAddress PROXY_B = IpAddress.parse("100.96.0.5");
    private static final IpAddress REAL = IpAddress.parse("198.51.100.7");
    private static final int UDP = TransportProtocol.UDP.ordinal();
    private static final int TCP = TransportProtocol.TCP.ordinal();
    private static final int ECHO = TransportProtocol.ICMP_ECHO.ordinal();
    private static final long SECOND = 1_000_000_000L;

    private final NatTable nat = new NatTable(NatTable.DEFAULT_MAX_SESSIONS);

    @Test
    void aReplyWithinSixtySecondsTranslatesBackToTheProxyAndTheClientsPort() {
        int outside = nat.translateOutgoing(UDP, 40000, to(PROXY_A, REAL), 0);
        nat.handleTimeout(59 * SECOND);

        NatTable.Session session = reply(UDP, outside, REAL, 59 * SECOND);

        assertThat(outside).isEqualTo(40000);
        assertThat(session.proxy).isEqualTo(PROXY_A);
        assertThat(session.insidePort).isEqualTo(40000);
    }

    @Test
    void aReplyAfterSixtySilentSecondsFindsNoSession() {
        int outside = nat.translateOutgoing(TCP, 40000, to(PROXY_A, REAL), 0);

        nat.handleTimeout(60 * SECOND);

        assertThat(reply(TCP, outside, REAL, 60 * SECOND)).isNull();
        assertThat(nat.size()).isZero();
    }

    @Test
    void repliesKeepTheSessionAliveToo() {
        int outside = nat.translateOutgoing(TCP, 40000, to(PROXY_A, REAL), 0);
        reply(TCP, outside, REAL, 50 * SECOND);

        nat.handleTimeout(100 * SECOND);

        assertThat(reply(TCP, outside, REAL, 100 * SECOND)).isNotNull();
    }

    @Test
    void twoProxyIpsOnTheSameRealIpWithTheSamePortGetDistinctOutsidePorts() {
        int first = nat.translateOutgoing(UDP, 5000, to(PROXY_A, REAL), 0);
        int second = nat.translateOutgoing(UDP, 5000, to(PROXY_B, REAL), 0);

        assertThat(first).isEqualTo(5000);
        assertThat(second).isEqualTo(5001);
        assertThat(reply(UDP, 5001, REAL, 0).proxy).isEqualTo(PROXY_B);
    }

    @Test
    void aCollisionOnTheHighestPortWrapsToOne() {
        nat.translateOutgoing(UDP, 65535, to(PROXY_A, REAL), 0);

        assertThat(nat.translateOutgoing(UDP, 65535, to(PROXY_B, REAL), 0)).isEqualTo(1);
    }

    @Test
    void theSameFlowReusesItsSession() {
        TranslationState translation = to(PROXY_A, REAL);
        int first = nat.translateOutgoing(ECHO, 7, translation, 0);
        int again = nat.translateOutgoing(ECHO, 7, translation, SECOND);

        assertThat(again).isEqualTo(first);
        assertThat(nat.size()).isEqualTo(1);
    }

    @Test
    void protocolsDoNotShareSessions() {
        nat.translateOutgoing(UDP, 5000, to(PROXY_A, REAL), 0);

        assertThat(nat.translateOutgoing(TCP, 5000, to(PROXY_B, REAL), 0)).isEqualTo(5000);
        assertThat(reply(ECHO, 5000, REAL, 0)).isNull();
    }

    @Test
    void aFullTableRefusesNewFlowsButServesExistingOnes() {
        NatTable small = new NatTable(2);
        TranslationState translation = to(PROXY_A, REAL);
        small.translateOutgoing(UDP, 1000, translation, 0);
        small.translateOutgoing(UDP, 1001, translation, 0);

        assertThat(small.translateOutgoing(UDP, 1002, translation, 0)).isEqualTo(-1);
        assertThat(small.translateOutgoing(UDP, 1000, translation, 0)).isEqualTo(1000);
        small.handleTimeout(60 * SECOND);
        assertThat(small.translateOutgoing(UDP, 1002, translation, 60 * SECOND)).isEqualTo(1002);
    }

    @Test
    void aProxyIpMovedToAnotherRealIpStartsAFreshSession() {
        IpAddress otherReal = IpAddress.parse("198.51.100.8");
        nat.translateOutgoing(UDP, 5000, to(PROXY_A, REAL), 0);

        nat.translateOutgoing(UDP, 5000, to(PROXY_A, otherReal), SECOND);

        assertThat(reply(UDP, 5000, REAL, SECOND)).isNull();
        assertThat(reply(UDP, 5000, otherReal, SECOND)).isNotNull();
        assertThat(nat.size()).isEqualTo(1);
    }

    private NatTable.Session reply(int protocol, int port, IpAddress from, long now) {
        return nat.translateIncoming(protocol, port, from.version(), Addresses.high(from), Addresses.low(from), now);
    }

    static TranslationState to(IpAddress proxy, IpAddress real) {
        return new TranslationState(UUID.randomUUID(), "app.example.com", proxy, real, 0);
    }
}
