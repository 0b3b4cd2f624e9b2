package dev.zonewire.tunnel.dns;

import static dev.zonewire.tunnel.dns.DnsTestMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class StubResolverTest {
    private static final UUID WILDCARD = UUID.fromString("03000143-e25e-45c7-aafb-144990e57dcd");
    private static final UUID EXACT = UUID.fromString("619fbe83-bc95-4635-9a08-68da9a944c88");

    private final StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());

    StubResolverTest() {
        resolver.addResource(WILDCARD, "*.mycorp.com");
        resolver.addResource(EXACT, "gitlab.mycorp.com");
    }

    @Test
    void anAQueryForAResourceNameGetsFourProxyAddressesWithOneSecondTtl() {
        Message response = answer(query("wiki.mycorp.com", Type.A, 4242));

        assertThat(response.getHeader().getID()).isEqualTo(4242);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getQuestion()).isEqualTo(query("wiki.mycorp.com", Type.A, 1).getQuestion());
        List<Record> answers = response.getSection(Section.ANSWER);
        assertThat(answers).hasSize(4).allSatisfy(record -> {
            assertThat(record.getTTL()).isEqualTo(1);
            assertThat(record.getName()).isEqualTo(DnsTestMessages.name("wiki.mycorp.com"));
        });
        assertThat(answers).extracting(record -> IpLiterals.format(((ARecord) record).getAddress()))
                .containsExactly("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4");
    }

    @Test
    void anAaaaQueryForTheSameNameGetsItsFourIpv6ProxyAddresses() {
        answer(query("wiki.mycorp.com", Type.A, 1));

        Message response = answer(query("wiki.mycorp.com", Type.AAAA, 2));

        assertThat(response.getSection(Section.ANSWER)).extracting(record -> IpLiterals.format(((AAAARecord) record).getAddress()))
                .containsExactly("fd00:2021:1111:8000::", "fd00:2021:1111:8000::1", "fd00:2021:1111:8000::2", "fd00:2021:1111:8000::3");
    }

    @Test
    void namesDifferingOnlyInCaseShareTheirProxyAddresses() {
        Message lower = answer(query("wiki.mycorp.com", Type.A, 1));
        Message mixed = answer(query("WiKi.MyCorp.COM", Type.A, 2));

        assertThat(addresses(mixed)).isEqualTo(addresses(lower));
        assertThat(mixed.getSection(Section.ANSWER).getFirst().getName().toString()).isEqualTo("WiKi.MyCorp.COM.");
    }

    @Test
    void theMostSpecificPatternOwnsTheName() {
        Message response = answer(query("gitlab.mycorp.com", Type.A, 1));

        InetAddress proxy = ((ARecord) response.getSection(Section.ANSWER).getFirst()).getAddress();
        assertThat(resolver.proxyIpsOf(proxy).resourceId()).isEqualTo(EXACT);
        assertThat(resolver.matchResource("wiki.mycorp.com")).isEqualTo(WILDCARD);
    }

    @Test
    void anHttpsQueryForAResourceNameGetsAnEmptyAnswerSoTheApplicationAsksForAddresses() {
        Message response = answer(query("wiki.mycorp.com", Type.HTTPS, 1));

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void otherTypesForResourceNamesAndAllNonResourceNamesAreForwarded() {
        assertThat(resolver.resolve(query("wiki.mycorp.com", Type.MX, 1), 0)).isInstanceOf(Resolution.Forward.class);
        assertThat(resolver.resolve(query("example.org", Type.A, 1), 0)).isInstanceOf(Resolution.Forward.class);
    }

    @Test
    void aPtrQueryForAHandedOutProxyAddressGetsItsName() {
        answer(query("wiki.mycorp.com", Type.AAAA, 1));

        Message response = answer(query("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.1.1.1.1.1.2.0.2.0.0.d.f.ip6.arpa", Type.PTR, 2));

        assertThat(((PTRRecord) response.getSection(Section.ANSWER).getFirst()).getTarget()).isEqualTo(DnsTestMessages.name("wiki.mycorp.com"));
    }

    @Test
    void aPtrQueryForAnyOtherAddressIsForwarded() {
        assertThat(resolver.resolve(query("9.0.96.100.in-addr.arpa", Type.PTR, 1), 0)).isInstanceOf(Resolution.Forward.class);
        assertThat(resolver.resolve(query("0.9.0.96.100.in-addr.arpa", Type.PTR, 1), 0)).isInstanceOf(Resolution.Forward.class);
    }

    @Test
    void theFirefoxDohCanaryGetsNxdomain() {
        Message response = answer(query("use-application-dns.net", Type.A, 1));

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aResponseInsteadOfAQueryGetsServfail() {
        Message notAQuery = query("wiki.mycorp.com", Type.A, 9);
        notAQuery.getHeader().setFlag(Flags.QR);

        var resolution = (Resolution.Answer) resolver.resolve(notAQuery, 0);

        assertThat(resolution.kind()).isEqualTo(Resolution.Kind.MALFORMED_QUERY);
        assertThat(resolution.response().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(resolution.response().getHeader().getID()).isEqualTo(9);
    }

    @Test
    void aQueryWithTwoQuestionsGetsServfail() {
        Message twoQuestions = query("wiki.mycorp.com", Type.A, 1);
        twoQuestions.addRecord(query("gitlab.mycorp.com", Type.A, 1).getQuestion(), Section.QUESTION);

        assertThat(((Resolution.Answer) resolver.resolve(twoQuestions, 0)).response().getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void anotherOpcodeGetsNotImplemented() {
        Message notify = query("wiki.mycorp.com", Type.A, 1);
        notify.getHeader().setOpcode(Opcode.NOTIFY);

        var resolution = (Resolution.Answer) resolver.resolve(notify, 0);

        assertThat(resolution.kind()).isEqualTo(Resolution.Kind.UNSUPPORTED_OPCODE);
        assertThat(resolution.response().getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void aRemovedResourceNameIsForwardedButKeepsItsAddressesForLater() {
        Message before = answer(query("wiki.mycorp.com", Type.A, 1));
        resolver.removeResource(WILDCARD);

        assertThat(resolver.resolve(query("wiki.mycorp.com", Type.A, 2), 0)).isInstanceOf(Resolution.Forward.class);

        resolver.addResource(WILDCARD, "*.mycorp.com");
        assertThat(addresses(answer(query("wiki.mycorp.com", Type.A, 3)))).isEqualTo(addresses(before));
    }

    @Test
    void exhaustedProxyAddressesGiveServfail() {
        StubResolver tiny = new StubResolver(new ProxyIpAllocator(1, Long.MAX_VALUE), Map.of());
        tiny.addResource(WILDCARD, "*.mycorp.com");
        tiny.resolve(query("a.mycorp.com", Type.A, 1), 0);

        var resolution = (Resolution.Answer) tiny.resolve(query("b.mycorp.com", Type.A, 2), 0);

        assertThat(resolution.kind()).isEqualTo(Resolution.Kind.PROXY_IPS_EXHAUSTED);
        assertThat(resolution.response().getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void knownHostsAnswerAddressesAndReverseLookups() {
        InetAddress api = IpLiterals.parse("203.0.113.7");
        StubResolver withHosts = new StubResolver(new ProxyIpAllocator(), Map.of("api.firezone.dev", List.of(api)));

        Message forward = ((Resolution.Answer) withHosts.resolve(query("api.firezone.dev", Type.A, 1), 0)).response();
        Message reverse = ((Resolution.Answer) withHosts.resolve(query("7.113.0.203.in-addr.arpa", Type.PTR, 2), 0)).response();

        assertThat(((ARecord) forward.getSection(Section.ANSWER).getFirst()).getAddress()).isEqualTo(api);
        assertThat(((PTRRecord) reverse.getSection(Section.ANSWER).getFirst()).getTarget()).isEqualTo(DnsTestMessages.name("api.firezone.dev"));
    }

    private Message answer(Message query) {
        return ((Resolution.Answer) resolver.resolve(query, 0)).response();
    }

    private static List<InetAddress> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream().map(record -> ((ARecord) record).getAddress()).toList();
    }
}
