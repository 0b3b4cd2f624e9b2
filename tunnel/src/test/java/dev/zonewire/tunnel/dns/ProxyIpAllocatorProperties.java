package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.AddressPlan;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ProxyIpAllocatorProperties {
    private static final List<UUID> RESOURCES = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    private static final List<String> PATTERNS = List.of("*.corp.example", "**.example", "app.corp.example", "?.svc.example");
    private static final List<String> NAMES = List.of("app.corp.example", "db.corp.example", "a.svc.example", "x.y.example",
            "corp.example", "b.svc.example", "deep.a.b.example", "other.test");

    sealed interface Step permits AddResource, RemoveResource, Query {}

    record AddResource(int resource, int pattern) implements Step {}

    record RemoveResource(int resource) implements Step {}

    record Query(int name, boolean ipv6) implements Step {}

    @Property(tries = 200)
    void proxyAddressesStayStableUniqueAndInTheirRangesUnderAnyChangeOfResources(@ForAll("steps") List<Step> steps) throws Exception {
        StubResolver resolver = new StubResolver(new ProxyIpAllocator(), Map.of());
        Map<String, Set<InetAddress>> answered = new HashMap<>();
        Map<InetAddress, String> owners = new HashMap<>();
        long now = 0;

        for (Step step : steps) {
            now += 1_000_000L;
            switch (step) {
                case AddResource add -> resolver.addResource(RESOURCES.get(add.resource()), PATTERNS.get(add.pattern()));
                case RemoveResource remove -> resolver.removeResource(RESOURCES.get(remove.resource()));
                case Query query -> {
                    String name = NAMES.get(query.name());
                    Message response = ((Resolution.Answer) resolveOrAnswer(resolver, name, query.ipv6(), now)).response();
                    for (Record answer : response.getSection(Section.ANSWER)) {
                        InetAddress address = query.ipv6()
                                ? ((AAAARecord) answer).getAddress()
                                : ((ARecord) answer).getAddress();
                        assertThat(query.ipv6() ? AddressPlan.PROXY_V6.contains(address) : AddressPlan.PROXY_V4.contains(address)).isTrue();
                        assertThat(DnsSentinels.isSentinel(address)).isFalse();
                        String previousOwner = owners.putIfAbsent(address, name);
                        assertThat(previousOwner == null ? name : previousOwner).as("one owner per address").isEqualTo(name);
                        answered.computeIfAbsent(name + query.ipv6(), key -> new HashSet<>()).add(address);
                    }
                }
            }
        }

        assertThat(answered.values()).allSatisfy(addresses -> assertThat(addresses).as("stable per name and family").hasSizeLessThanOrEqualTo(4));
    }

    /** A query for a resource name gets proxy addresses; for anything else the test answers with nothing. */
    private static Resolution resolveOrAnswer(StubResolver resolver, String name, boolean ipv6, long now) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), ipv6 ? Type.AAAA : Type.A, 1));
        Resolution resolution = resolver.resolve(query, now);
        return resolution instanceof Resolution.Forward ? new Resolution.Answer(new Message(), Resolution.Kind.LOCAL) : resolution;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> add = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3))
                .as(AddResource::new);
        Arbitrary<Step> remove = Arbitraries.integers().between(0, 2).map(RemoveResource::new);
        Arbitrary<Step> query = Combinators.combine(Arbitraries.integers().between(0, NAMES.size() - 1), Arbitraries.of(true, false))
                .as(Query::new);
        return Arbitraries.frequencyOf(
                Tuple.of(2, add), Tuple.of(1, remove), Tuple.of(5, query)).list().ofMaxSize(40);
    }
}
