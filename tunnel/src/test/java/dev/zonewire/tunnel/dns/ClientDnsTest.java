package dev.zonewire.tunnel.dns;

import static dev.zonewire.tunnel.dns.DnsTestMessages.parse;
import static dev.zonewire.tunnel.dns.DnsTestMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class ClientDnsTest {
    private static final InetSocketAddress UPSTREAM = new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53);
    private static final InetSocketAddress SENTINEL = new InetSocketAddress(IpLiterals.parse("100.100.111.1"), 53);
    private static final InetSocketAddress APP = new InetSocketAddress(IpLiterals.parse("100.64.0.1"), 40000);
    private static final long SECOND = 1_000_000_000L;

    private boolean upstreamBehindResource;
    private final ClientDns dns = newClientDns();

    private ClientDns newClientDns() {
        StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());
        resolver.addResource(UUID.randomUUID(), "*.mycorp.com");
        ClientDns clientDns = new ClientDns(resolver, new SplittableRandom(7), address -> upstreamBehindResource);
        clientDns.updateUpstreams(List.of(UPSTREAM), List.of());
        return clientDns;
    }

    @Test
    void aResourceNameIsAnsweredFromTheSentinelWithoutGoingUpstream() {
        dns.handleQuery(udp(query("wiki.mycorp.com", Type.A, 77)), 0);

        DnsReply reply = dns.pollReply();
        assertThat(reply.source()).isEqualTo(SENTINEL);
        assertThat(reply.destination()).isEqualTo(APP);
        assertThat(parse(reply.message()).getSection(Section.ANSWER)).hasSize(4);
        assertThat(dns.pollUpstreamQuery()).isNull();
        assertThat(dns.count(DnsCounter.LOCAL_ANSWERS)).isEqualTo(1);
    }

    @Test
    void anyOtherNameIsForwardedUnderAFreshIdAndTheAnswerGoesBackUnderTheApplicationsId() {
        dns.handleQuery(udp(query("example.org", Type.A, 77)), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();

        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, answerTo(parse(forwarded.message())).toWire(), SECOND);

        assertThat(forwarded.server()).isEqualTo(UPSTREAM);
        assertThat(forwarded.route()).isEqualTo(UpstreamRoute.HOST);
        assertThat(parse(forwarded.message()).getHeader().getID()).isEqualTo(forwarded.id());
        DnsReply reply = dns.pollReply();
        assertThat(reply.destination()).isEqualTo(APP);
        assertThat(parse(reply.message()).getHeader().getID()).isEqualTo(77);
        assertThat(parse(reply.message()).getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.pendingCount()).isZero();
    }

    @Test
    void twoApplicationsUsingTheSameIdGetDistinctUpstreamIds() {
        dns.handleQuery(udp(query("a.example.org", Type.A, 5)), 0);
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, new InetSocketAddress(APP.getAddress(), 40001), SENTINEL,
                query("b.example.org", Type.A, 5).toWire()), 0);

        assertThat(dns.pollUpstreamQuery().id()).isNotEqualTo(dns.pollUpstreamQuery().id());
    }

    @Test
    void aPortalUpstreamBehindAResourceIsReachedThroughTheTunnel() {
        upstreamBehindResource = true;

        dns.handleQuery(udp(query("example.org", Type.A, 1)), 0);

        assertThat(dns.pollUpstreamQuery().route()).isEqualTo(UpstreamRoute.TUNNEL);
    }

    @Test
    void aSystemResolverIsNeverReachedThroughTheTunnel() {
        upstreamBehindResource = true;
        dns.updateUpstreams(List.of(), List.of(IpLiterals.parse("9.9.9.9")));
        InetSocketAddress sentinel = new InetSocketAddress(dns.sentinels().sentinels().getFirst(), 53);

        dns.handleQuery(new DnsQuery(DnsTransport.UDP, APP, sentinel, query("example.org", Type.A, 1).toWire()), 0);

        assertThat(dns.pollUpstreamQuery().route()).isEqualTo(UpstreamRoute.HOST);
    }

    @Test
    void answersThatMatchNoQueryAreDroppedAndCounted() {
        dns.handleQuery(udp(query("example.org", Type.A, 1)), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();
        Message answer = answerTo(parse(forwarded.message()));

        Message wrongId = answerTo(parse(forwarded.message()));
        wrongId.getHeader().setID((forwarded.id() + 1) & 0xFFFF);
        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, wrongId.toWire(), 0);
        dns.handleUpstreamResponse(DnsTransport.UDP, new InetSocketAddress(IpLiterals.parse("8.8.8.8"), 53), answer.toWire(), 0);
        dns.handleUpstreamResponse(DnsTransport.TCP, UPSTREAM, answer.toWire(), 0);
        Message otherQuestion = answerTo(query("evil.example.org", Type.A, forwarded.id()));
        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, otherQuestion.toWire(), 0);

        assertThat(dns.count(DnsCounter.UNMATCHED_UPSTREAM_RESPONSES)).isEqualTo(4);
        assertThat(dns.pollReply()).isNull();
        assertThat(dns.pendingCount()).isEqualTo(1);
    }

    @Test
    void upstreamBytesThatAreNotADnsResponseAreDroppedAndCounted() {
        dns.handleQuery(udp(query("example.org", Type.A, 1)), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();

        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, new byte[] {1, 2, 3}, 0);
        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, forwarded.message(), 0);

        assertThat(dns.count(DnsCounter.MALFORMED_UPSTREAM_RESPONSES)).isEqualTo(2);
        assertThat(dns.pollReply()).isNull();
    }

    @Test
    void aUdpQueryThatTimesOutGetsNoAnswerSoTheApplicationRetries() {
        dns.handleQuery(udp(query("example.org", Type.A, 1)), 0);

        assertThat(dns.pollTimeout()).isEqualTo(5 * SECOND);
        dns.handleTimeout(5 * SECOND - 1);
        assertThat(dns.pendingCount()).isEqualTo(1);
        dns.handleTimeout(5 * SECOND);

        assertThat(dns.pendingCount()).isZero();
        assertThat(dns.pollReply()).isNull();
        assertThat(dns.count(DnsCounter.UPSTREAM_TIMEOUTS)).isEqualTo(1);
        assertThat(dns.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTcpQueryThatTimesOutGetsServfail() {
        dns.handleQuery(new DnsQuery(DnsTransport.TCP, APP, SENTINEL, query("example.org", Type.A, 31).toWire()), 0);

        dns.handleTimeout(5 * SECOND);

        DnsReply reply = dns.pollReply();
        assertThat(reply.transport()).isEqualTo(DnsTransport.TCP);
        assertThat(parse(reply.message()).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(parse(reply.message()).getHeader().getID()).isEqualTo(31);
    }

    @Test
    void anUnreachableUpstreamGivesServfail() {
        dns.handleQuery(udp(query("example.org", Type.A, 8)), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();

        dns.handleUpstreamFailure(DnsTransport.UDP, UPSTREAM, forwarded.id(), SECOND);

        assertThat(parse(dns.pollReply().message()).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(dns.count(DnsCounter.UPSTREAM_FAILURES)).isEqualTo(1);
    }

    @Test
    void theTableOfForwardedQueriesIsBounded() {
        for (int i = 0; i < ClientDns.MAX_PENDING; i++) {
            dns.handleQuery(udp(query("n" + i + ".example.org", Type.A, i)), 0);
        }

        dns.handleQuery(udp(query("one-too-many.example.org", Type.A, 1)), 0);
        dns.handleQuery(new DnsQuery(DnsTransport.TCP, APP, SENTINEL, query("tcp.example.org", Type.A, 2).toWire()), 0);

        assertThat(dns.pendingCount()).isEqualTo(ClientDns.MAX_PENDING);
        assertThat(dns.count(DnsCounter.PENDING_TABLE_FULL)).isEqualTo(2);
        DnsReply tcpReply = dns.pollReply();
        assertThat(tcpReply.transport()).isEqualTo(DnsTransport.TCP);
        assertThat(parse(tcpReply.message()).getRcode()).isEqualTo(Rcode.SERVFAIL);
        Set<Integer> ids = new HashSet<>();
        for (UpstreamQuery forwarded = dns.pollUpstreamQuery(); forwarded != null; forwarded = dns.pollUpstreamQuery()) {
            ids.add(forwarded.id());
        }
        assertThat(ids).hasSize(ClientDns.MAX_PENDING);
    }

    @Test
    void aLargeUdpAnswerIsCutToTheClassic512BytesWithTruncationSetWhenTheQueryHasNoEdns() {
        dns.handleQuery(udp(query("big.example.org", Type.TXT, 3)), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();

        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, bigTxtAnswer(parse(forwarded.message())).toWire(), 0);

        DnsReply reply = dns.pollReply();
        Message truncated = parse(reply.message());
        assertThat(reply.message().length).isLessThanOrEqualTo(512);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getQuestion().getName()).isEqualTo(DnsTestMessages.name("big.example.org"));
        assertThat(truncated.getHeader().getID()).isEqualTo(3);
        assertThat(dns.count(DnsCounter.TRUNCATED_ANSWERS)).isEqualTo(1);
    }

    @Test
    void anEdnsQueryGetsAnAnswerLargerThan512BytesWhenItFitsOneTunnelPacket() {
        Message edns = query("big.example.org", Type.TXT, 4);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        dns.handleQuery(udp(edns), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();
        Message answer = txtAnswer(parse(forwarded.message()), 5);

        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, answer.toWire(), 0);

        byte[] reply = dns.pollReply().message();
        assertThat(reply.length).isGreaterThan(512).isLessThanOrEqualTo(1280 - 20 - 8);
        assertThat(parse(reply).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(parse(reply).getSection(Section.ANSWER)).hasSize(5);
    }

    @Test
    void anEdnsAnswerLargerThanOneTunnelPacketIsCutWithTruncationSet() {
        Message edns = query("big.example.org", Type.TXT, 4);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        dns.handleQuery(udp(edns), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();

        dns.handleUpstreamResponse(DnsTransport.UDP, UPSTREAM, bigTxtAnswer(parse(forwarded.message())).toWire(), 0);

        byte[] reply = dns.pollReply().message();
        assertThat(reply.length).isLessThanOrEqualTo(1280 - 20 - 8);
        assertThat(parse(reply).getHeader().getFlag(Flags.TC)).isTrue();
    }

    @Test
    void aTcpAnswerIsNeverTruncated() {
        dns.handleQuery(new DnsQuery(DnsTransport.TCP, APP, SENTINEL, query("big.example.org", Type.TXT, 4).toWire()), 0);
        UpstreamQuery forwarded = dns.pollUpstreamQuery();
        Message big = bigTxtAnswer(parse(forwarded.message()));

        dns.handleUpstreamResponse(DnsTransport.TCP, UPSTREAM, big.toWire(), 0);

        Message reply = parse(dns.pollReply().message());
        assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(reply.getSection(Section.ANSWER)).hasSize(big.getSection(Section.ANSWER).size());
    }

    @Test
    void queriesToAnythingButACurrentSentinelOnPort53AreDroppedAndCounted() {
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, APP, new InetSocketAddress(IpLiterals.parse("100.100.111.9"), 53),
                query("example.org", Type.A, 1).toWire()), 0);
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, APP, new InetSocketAddress(SENTINEL.getAddress(), 5353),
                query("example.org", Type.A, 1).toWire()), 0);
        dns.handleQuery(new DnsQuery(DnsTransport.UDP, APP, SENTINEL, new byte[] {0, 1, 2}), 0);

        assertThat(dns.count(DnsCounter.NOT_A_SENTINEL)).isEqualTo(1);
        assertThat(dns.count(DnsCounter.WRONG_PORT)).isEqualTo(1);
        assertThat(dns.count(DnsCounter.UNPARSABLE_QUERIES)).isEqualTo(1);
        assertThat(dns.pollReply()).isNull();
        assertThat(dns.pollUpstreamQuery()).isNull();
    }

    private static DnsQuery udp(Message query) {
        return new DnsQuery(DnsTransport.UDP, APP, SENTINEL, query.toWire());
    }

    private static Message answerTo(Message query) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.addRecord(query.getQuestion(), Section.QUESTION);
        answer.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 300, address("93.184.215.14")), Section.ANSWER);
        return answer;
    }

    private static Message bigTxtAnswer(Message query) {
        return txtAnswer(query, 12);
    }

    /** {@code records} TXT records of about 160 bytes each. */
    private static Message txtAnswer(Message query, int records) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.addRecord(query.getQuestion(), Section.QUESTION);
        for (int i = 0; i < records; i++) {
            answer.addRecord(new TXTRecord(query.getQuestion().getName(), DClass.IN, 300, ("record " + i + " ").repeat(20)), Section.ANSWER);
        }
        return answer;
    }

    private static InetAddress address(String literal) {
        return IpLiterals.parse(literal);
    }
}
