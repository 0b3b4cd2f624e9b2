package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Hostile bytes as an application's query and as an upstream's answer: the client's DNS never throws,
 * and every UDP reply fits one tunnel packet.
 */
class ClientDnsFuzzTest {
    private static final InetSocketAddress UPSTREAM = new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53);
    private static final InetSocketAddress SENTINEL = new InetSocketAddress(IpLiterals.parse("100.100.111.1"), 53);
    private static final InetSocketAddress APP = new InetSocketAddress(IpLiterals.parse("100.64.0.1"), 40000);

    @FuzzTest(maxDuration = "20s")
    void hostileQueriesAndAnswersAreDroppedOrAnsweredNeverThrown(FuzzedDataProvider data) {
        StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());
        resolver.addResource(UUID.nameUUIDFromBytes(new byte[] {1}), "*.mycorp.com");
        ClientDns dns = new ClientDns(resolver, new SplittableRandom(1), address -> false);
        dns.updateUpstreams(List.of(UPSTREAM), List.of());
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, APP, SENTINEL, DnsTestMessages.query("example.org", Type.A, 1).toWire()), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();
        boolean asQuery = data.consumeBoolean();
        DnsTransport transport = data.consumeBoolean() ? DnsTransport.UDP : DnsTransport.TCP;
        byte[] bytes = data.consumeRemainingAsBytes();
        if (asQuery) {
            dns.handleQuery(new DnsQuery(transport, APP, SENTINEL, bytes), 1);
        } else {
            // Let the fuzzer's answer carry the id we chose, so it reaches the matching logic.
            if (bytes.length >= 2) {
                bytes[0] = (byte) (forwarded.id() >>> 8);
                bytes[1] = (byte) forwarded.id();
            }
            dns.handleUpstreamResponse(transport, UPSTREAM, bytes, 1);
        }
        dns.handleTimeout(ClientDns.UPSTREAM_TIMEOUT_NANOS * 2);

        for (DnsReply reply = dns.pollReply(); reply != null; reply = dns.pollReply()) {
            if (reply.transport() == DnsTransport.UDP) {
                assertThat(reply.message().length).isLessThanOrEqualTo(1280 - 20 - 8);
            }
            assertThat(parseable(reply.message())).isTrue();
        }
    }

    private static boolean parseable(byte[] wire) {
        try {
            new Message(wire);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
