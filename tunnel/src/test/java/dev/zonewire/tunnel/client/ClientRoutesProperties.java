package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import dev.zonewire.tunnel.dns.StubResolver;
import dev.zonewire.tunnel.messages.ClientResource;
import dev.zonewire.tunnel.messages.Site;
import dev.zonewire.tunnel.net.AddressPlan;
import dev.zonewire.tunnel.net.IpNetwork;
import java.util.ArrayList;
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

/**
 * The reference's route invariant under random resource changes: the routes are the networks of the
 * enabled CIDR resources, the proxy and sentinel ranges, and the default routes while the Internet
 * resource is enabled; and every enabled CIDR address leads to a resource on that network.
 */
class ClientRoutesProperties {
    private static final List<IpNetwork> NETWORKS = List.of(IpNetwork.parse("10.0.0.0/8"), IpNetwork.parse("10.1.0.0/16"),
            IpNetwork.parse("192.168.1.0/24"), IpNetwork.parse("fd12::/64"), IpNetwork.parse("2001:db8::/48"));
    private static final Site SITE = new Site(UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4"), "HQ");
    private static final UUID INTERNET = new UUID(9, 9);

    sealed interface Step permits AddCidr, AddInternet, Remove, Disable {}

    record AddCidr(int resource, int network) implements Step {}

    record AddInternet() implements Step {}

    record Remove(int resource) implements Step {}

    record Disable(Set<Integer> resources) implements Step {}

    @Property(tries = 300)
    void routesFollowTheEnabledResources(@ForAll("steps") List<Step> steps) {
        ClientResources resources = new ClientResources(new StubResolver(new ProxyIpAllocator(), Map.of()));
        Map<UUID, IpNetwork> cidrModel = new HashMap<>();
        boolean internetPresent = false;
        Set<UUID> disabled = new HashSet<>();

        for (Step step : steps) {
            switch (step) {
                case AddCidr add -> {
                    UUID id = new UUID(0, add.resource());
                    resources.add(new ClientResource.Cidr(id, NETWORKS.get(add.network()), "r", null, List.of(SITE), List.of()));
                    cidrModel.put(id, NETWORKS.get(add.network()));
                }
                case AddInternet add -> {
                    resources.add(new ClientResource.Internet(INTERNET, "Internet Resource", List.of(SITE), true));
                    internetPresent = true;
                }
                case Remove remove -> {
                    UUID id = remove.resource() < 0 ? INTERNET : new UUID(0, remove.resource());
                    resources.remove(id);
                    cidrModel.remove(id);
                    internetPresent &= !id.equals(INTERNET);
                }
                case Disable disable -> {
                    disabled.clear();
                    disable.resources().forEach(index -> disabled.add(index < 0 ? INTERNET : new UUID(0, index)));
                    resources.setDisabled(disabled);
                }
            }

            Set<IpNetwork> expected = new HashSet<>(List.of(AddressPlan.PROXY_V4, AddressPlan.SENTINELS_V4, AddressPlan.PROXY_V6, AddressPlan.SENTINELS_V6));
            cidrModel.forEach((id, network) -> {
                if (!disabled.contains(id)) {
                    expected.add(network);
                }
            });
            if (internetPresent && !disabled.contains(INTERNET)) {
                expected.add(AddressPlan.DEFAULT_ROUTE_V4);
                expected.add(AddressPlan.DEFAULT_ROUTE_V6);
            }
            Routes routes = resources.routes();
            List<IpNetwork> actual = new ArrayList<>(routes.ipv4());
            actual.addAll(routes.ipv6());
            assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
            cidrModel.forEach((id, network) -> {
                if (!disabled.contains(id)) {
                    UUID owner = resources.resourceFor(network.address());
                    assertThat(cidrModel.get(owner)).as("the owner of %s", network).isEqualTo(network);
                }
            });
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> addCidr = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, NETWORKS.size() - 1))
                .as(AddCidr::new);
        Arbitrary<Step> addInternet = Arbitraries.just(new AddInternet());
        Arbitrary<Step> remove = Arbitraries.integers().between(-1, 4).map(Remove::new);
        Arbitrary<Step> disable = Arbitraries.integers().between(-1, 4).set().ofMaxSize(3).map(Disable::new);
        return Arbitraries.frequencyOf(Tuple.of(5, addCidr), Tuple.of(1, addInternet), Tuple.of(2, remove), Tuple.of(2, disable))
                .list().ofMaxSize(30);
    }
}
