package dev.zonewire.tunnel.dns.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Queries of the TCP DNS client failing early on an ICMP unreachable about their own segments. */
class TcpDnsClientTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress(IpLiterals.parse("10.0.0.53"), 53);

    private final TcpDnsClient client = new TcpDnsClient(new SplittableRandom(3), 10);

    @Test
    void anUnreachableAboutASegmentToAnotherServerLeavesTheQueryAlone() {
        int port = sendQuery();

        boolean ours = client.unreachable(TestPackets.tcp("100.64.0.1", port, "10.0.0.99", 53), 0);

        assertThat(ours).isFalse();
        assertThat(client.pollResult()).isNull();
    }

    @Test
    void anUnreachableAboutOurSegmentToTheServerFailsTheQuery() {
        int port = sendQuery();

        boolean ours = client.unreachable(TestPackets.tcp("100.64.0.1", port, "10.0.0.53", 53), 0);

        assertThat(ours).isTrue();
        assertThat(client.pollResult()).isEqualTo(new TcpDnsClient.Result(SERVER, 7, null));
    }

    /** Sends a query and returns the local port its SYN left from. */
    private int sendQuery() {
        client.query(IpAddress.parse("100.64.0.1"), SERVER, 7, new byte[] {0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}, 0);
        IpPacket syn = TestPackets.of(client.pollPacket());
        return syn.tcp().sourcePort();
    }
}
