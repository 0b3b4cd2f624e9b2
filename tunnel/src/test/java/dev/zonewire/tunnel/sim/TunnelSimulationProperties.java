package dev.zonewire.tunnel.sim;

import dev.zonewire.snownet.sim.Nat;
import dev.zonewire.tunnel.dns.DnsTransport;
import dev.zonewire.tunnel.messages.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.xbill.DNS.Type;

/**
 * The whole system against its reference model (see {@link World}), in the spirit of the reference's
 * {@code tunnel_test}: random worlds (sites, gateways, relays, NATs, resources with random filters) and random
 * sequences of transitions, each followed by the invariants. Every transition is described as the Java call
 * that repeats it, so a shrunk counterexample pastes into {@link SimulationRegressionTest}.
 *
 * <p>Two properties run in every build: a fixed seed (the same worlds every time) and a random one (new
 * worlds every run; jqwik prints the seed of a failure). To explore longer:
 * <pre>./mvnw -B -pl tunnel -am test -Dtest=TunnelSimulationProperties -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=1000</pre>
 */
class TunnelSimulationProperties {
    static final int MAX_TRANSITIONS = 14;

    @Property(tries = 60, seed = "20251124")
    void fixedWorldsKeepThePromises(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant(World::check).run();
    }

    /** Tries come from {@code jqwik.tries.default} (src/test/resources/junit-platform.properties, or -D). */
    @Property
    void randomWorldsKeepThePromises(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant(World::check).run();
        Statistics.label("transitions").collect(chain.transformations().size());
        chain.transformations().forEach(transition -> Statistics.label("kinds").collect(transition.substring(0, transition.indexOf('('))));
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return specs().flatMap(spec -> ActionChain.<World>startWith(() -> new World(spec))
                .withAction(5, grant())
                .withAction(1, revoke())
                .withAction(1, changeFilters())
                .withAction(8, sendToCidr())
                .withAction(8, sendToName())
                .withAction(3, sendToInternet())
                .withAction(6, queryDns())
                .withAction(1, Action.just(Transformer.mutate("world.restartRelay(0)", w -> w.restartRelay(0))))
                .withAction(1, Action.just(Transformer.mutate("world.resetClient()", World::resetClient)))
                .withAction(1, Action.just(Transformer.mutate("world.idle()", World::idle)))
                .withAction(1, Action.just(Transformer.mutate("world.reorderPortalMessages()", World::reorderPortalMessages)))
                .withAction(1, disable())
                .withMaxTransformations(MAX_TRANSITIONS));
    }

    private Arbitrary<WorldSpec> specs() {
        Arbitrary<Nat.Kind> nat = Arbitraries.of(Nat.Kind.values()).injectNull(0.4);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, 2), nat, nat, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .flatAs((seed, sites, gateways, relays, clientNat, gatewayNat, cidr, dns) -> Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.of(true, false)).as((internet, portalDns) -> new WorldSpec(seed, sites, gateways, relays, clientNat, gatewayNat,
                        cidr, dns, internet, portalDns, 300)));
    }

    private static Action.Dependent<World> grant() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return !ungranted(world).isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                return Arbitraries.of(ungranted(world)).map(address ->
                        Transformer.mutate("world.grant(world.resource(\"" + address + "\"))", w -> w.grant(w.resource(address))));
            }
        };
    }

    private static Action.Dependent<World> revoke() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return !granted(world).isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                return Arbitraries.of(granted(world)).map(address ->
                        Transformer.mutate("world.revoke(world.resource(\"" + address + "\"))", w -> w.revoke(w.resource(address))));
            }
        };
    }

    private static Action.Dependent<World> changeFilters() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return world.portal.resources.values().stream().anyMatch(r -> r.kind() != PortalResource.Kind.INTERNET);
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                List<String> addresses = world.portal.resources.values().stream().filter(r -> r.kind() != PortalResource.Kind.INTERNET)
                        .map(PortalResource::address).toList();
                Arbitrary<List<Integer>> choices = Arbitraries.integers().between(0, FILTERS.size() - 1).set().ofMaxSize(3)
                        .map(ArrayList::new);
                return Combinators.combine(Arbitraries.of(addresses), choices).as((address, indexes) -> {
                    String filters = String.join(", ", indexes.stream().map(FILTER_CODE::get).toList());
                    List<Filter> chosen = indexes.stream().map(FILTERS::get).toList();
                    return Transformer.mutate("world.changeFilters(world.resource(\"" + address + "\"), List.of(" + filters + "))",
                            w -> w.changeFilters(w.resource(address), chosen));
                });
            }
        };
    }

    private static Action.Dependent<World> sendToCidr() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return world.portal.resources.values().stream().anyMatch(r -> r.kind() == PortalResource.Kind.CIDR);
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                List<String> hosts = world.portal.resources.values().stream().filter(r -> r.kind() == PortalResource.Kind.CIDR)
                        .flatMap(r -> r.hosts().stream()).map(host -> host.getHostAddress()).toList();
                return Combinators.combine(Arbitraries.of(Probe.Protocol.values()), Arbitraries.of(hosts), Arbitraries.of(Resources.PORTS))
                        .as((protocol, host, port) -> Transformer.mutate("world.send(Probe.Protocol." + protocol + ", IpAddress.parse(\"" + host
                                + "\"), " + port + ")", w -> w.send(protocol, dev.zonewire.ippacket.IpAddress.parse(host), port)));
            }
        };
    }

    private static Action.Dependent<World> sendToName() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return !world.cachedNames().isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                return Combinators.combine(Arbitraries.of(Probe.Protocol.values()), Arbitraries.of(world.cachedNames()),
                        Arbitraries.integers().between(0, 3), Arbitraries.of(Resources.PORTS)).as((protocol, key, index, port) -> {
                            String name = key.substring(0, key.indexOf('/'));
                            boolean ipv4 = key.endsWith("/A");
                            return Transformer.mutate("world.sendToName(Probe.Protocol." + protocol + ", \"" + name + "\", Type." + (ipv4 ? "A" : "AAAA")
                                    + ", " + index + ", " + port + ")", w -> w.sendToName(protocol, name, ipv4 ? Type.A : Type.AAAA, index, port));
                        });
            }
        };
    }

    private static Action.Independent<World> sendToInternet() {
        return () -> Combinators.combine(Arbitraries.of(Probe.Protocol.values()),
                        Arbitraries.of("203.0.113.10", "2001:db8:cafe::10", "198.18.0.1"), Arbitraries.of(Resources.PORTS))
                .as((protocol, host, port) -> Transformer.mutate("world.send(Probe.Protocol." + protocol + ", IpAddress.parse(\"" + host + "\"), "
                        + port + ")", w -> w.send(protocol, dev.zonewire.ippacket.IpAddress.parse(host), port)));
    }

    private static Action.Dependent<World> queryDns() {
        return new Action.Dependent<>() {
            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                List<String> names = new ArrayList<>(World.PUBLIC_NAMES);
                names.add("unknown.public.test");
                // Resource names twice: their answers let the application reach DNS resources.
                world.portal.resources.values().forEach(resource -> {
                    names.addAll(resource.names());
                    names.addAll(resource.names());
                });
                return Combinators.combine(Arbitraries.of(names), Arbitraries.of(Type.A, Type.AAAA), Arbitraries.of(DnsTransport.values()))
                        .as((name, type, transport) -> Transformer.mutate("world.queryDns(\"" + name + "\", Type." + Type.string(type)
                                + ", DnsTransport." + transport + ")", w -> w.queryDns(name, type, transport)));
            }
        };
    }

    private static Action.Dependent<World> disable() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World world) {
                return !world.portal.resources.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World world) {
                List<String> addresses = world.portal.resources.values().stream().map(PortalResource::address).toList();
                return Arbitraries.of(addresses).set().ofMaxSize(2).map(chosen -> {
                    String code = String.join(", ", chosen.stream().map(address -> "world.resource(\"" + address + "\")").toList());
                    return Transformer.mutate("world.setDisabled(Set.of(" + code + "))", w -> w.setDisabled(
                            Set.copyOf(chosen.stream().map(w::resource).toList())));
                });
            }
        };
    }

    private static List<String> ungranted(World world) {
        return world.portal.resources.values().stream().filter(r -> !world.portal.granted.contains(r.id())).map(PortalResource::address).toList();
    }

    private static List<String> granted(World world) {
        return world.portal.granted.stream().map(id -> world.portal.resources.get(id).address()).toList();
    }

    private static final List<Filter> FILTERS = List.of(new Filter.Tcp(80, 80), new Filter.Tcp(1000, 2000), new Filter.Udp(53, 53),
            new Filter.Udp(5000, 6000), new Filter.Icmp());
    private static final List<String> FILTER_CODE = List.of("new Filter.Tcp(80, 80)", "new Filter.Tcp(1000, 2000)", "new Filter.Udp(53, 53)",
            "new Filter.Udp(5000, 6000)", "new Filter.Icmp()");
}
