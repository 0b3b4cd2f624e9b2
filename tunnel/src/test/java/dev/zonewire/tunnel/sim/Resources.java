package dev.zonewire.tunnel.sim;

import dev.zonewire.tunnel.messages.DnsServer;
import dev.zonewire.tunnel.messages.Filter;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Draws a world's resources from its seed: CIDR networks (IPv4 or IPv6, never overlapping), DNS resources
 * (an exact name, {@code *.} or {@code **.} in front) whose names resolve to IPv4, IPv6 or both addresses
 * in their site, optionally an Internet resource in a site of its own, and a DNS server that the portal
 * names as upstream, behind a CIDR resource of the first site and reachable from every site. Filters are
 * random: half permit everything.
 */
final class Resources {
    static final List<Integer> PORTS = List.of(80, 1500, 53, 5500, 443, 7);
    private static final List<Filter> FILTER_CHOICES = List.of(new Filter.Tcp(80, 80), new Filter.Tcp(1000, 2000), new Filter.Udp(53, 53),
            new Filter.Udp(5000, 6000), new Filter.Icmp());

    private Resources() {}

    static void generate(World world, int siteCount) {
        SplittableRandom random = world.random.split();
        WorldSpec spec = world.spec;
        List<UUID> siteIds = new ArrayList<>(world.portal.gatewaysBySite.keySet());
        for (int s = 0; s < siteCount; s++) {
            UUID site = siteIds.get(s);
            // Reachable from every site, as a resolver on the internet would be through the Internet resource.
            InetSocketAddress dnsServer = spec.portalDns() ? new InetSocketAddress(ip("10.1.53.53"), 53) : null;
            world.sites.put(site, new SiteNetwork(world, site, dnsServer, random.split()));
        }
        int index = 0;
        if (spec.portalDns()) {
            // Probes go to a neighbour of the DNS server, whose port 53 is the server's.
            add(world, PortalResource.Kind.CIDR, "10.1.53.0/24", siteIds.getFirst(), List.of(), List.of(ip("10.1.53.54")), List.of(), index++);
            world.portalUpstreams.add(new DnsServer(new InetSocketAddress(ip("10.1.53.53"), 53)));
        }
        for (int i = 0; i < spec.cidrResources(); i++) {
            int site = i % spec.sites();
            int prefix = 24 + random.nextInt(7);
            if (random.nextBoolean()) {
                String base = "10." + (site + 1) + "." + (10 + i) + ".";
                add(world, PortalResource.Kind.CIDR, base + "0/" + prefix, siteIds.get(site), filters(random),
                        List.of(ip(base + "1"), ip(base + "2")), List.of(), index++);
            } else {
                String base = "fd10:" + (site + 1) + ":0:" + i + "::";
                add(world, PortalResource.Kind.CIDR, base + "/" + (96 + prefix), siteIds.get(site), filters(random),
                        List.of(ip(base + "1"), ip(base + "2")), List.of(), index++);
            }
        }
        for (int i = 0; i < spec.dnsResources(); i++) {
            int site = i % spec.sites();
            String pattern;
            List<String> names;
            switch (i % 3) {
                case 0 -> {
                    pattern = "svc" + i + ".corp.test";
                    names = List.of(pattern);
                }
                case 1 -> {
                    pattern = "*.app" + i + ".corp.test";
                    names = List.of("a.app" + i + ".corp.test", "b.app" + i + ".corp.test");
                }
                default -> {
                    pattern = "**.deep" + i + ".corp.test";
                    names = List.of("x.y.deep" + i + ".corp.test");
                }
            }
            for (int n = 0; n < names.size(); n++) {
                List<InetAddress> addresses = new ArrayList<>();
                int family = random.nextInt(3);
                int host = 10 * i + n + 1;
                if (family != 1) {
                    addresses.add(ip("10." + (site + 1) + ".200." + host));
                }
                if (family != 0) {
                    addresses.add(ip("fd10:" + (site + 1) + ":c8::" + Integer.toHexString(host)));
                }
                world.records.add(names.get(n), addresses);
            }
            add(world, PortalResource.Kind.DNS, pattern, siteIds.get(site), filters(random), List.of(), names, index++);
        }
        if (spec.internet()) {
            add(world, PortalResource.Kind.INTERNET, "internet", siteIds.getLast(), List.of(),
                    List.of(ip("203.0.113.10"), ip("2001:db8:cafe::10")), List.of(), index);
        }
        world.records.add("www.public.test", List.of(ip("203.0.113.50")));
        world.records.add("v6.public.test", List.of(ip("2001:db8:cafe::50")));
        List<InetAddress> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(ip("203.0.113." + (100 + i)));
        }
        world.records.add("big.public.test", many);
        world.records.add("nothing.public.test", List.of());
    }

    static boolean permits(List<Filter> filters, Probe probe) {
        if (filters.isEmpty()) {
            return true;
        }
        int port = probe.destinationPort();
        return filters.stream().anyMatch(filter -> switch (filter) {
            case Filter.Tcp tcp -> probe.protocol() == Probe.Protocol.TCP && tcp.portRangeStart() <= port && port <= tcp.portRangeEnd();
            case Filter.Udp udp -> probe.protocol() == Probe.Protocol.UDP && udp.portRangeStart() <= port && port <= udp.portRangeEnd();
            case Filter.Icmp icmp -> probe.protocol() == Probe.Protocol.ICMP;
        });
    }

    /** The patterns the generator makes: an exact name, {@code *.} (one label, or none) and {@code **.} (any labels). */
    static boolean patternMatches(String pattern, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (pattern.startsWith("**.")) {
            String parent = pattern.substring(3);
            return lower.equals(parent) || lower.endsWith("." + parent);
        }
        if (pattern.startsWith("*.")) {
            String parent = pattern.substring(2);
            return lower.equals(parent) || lower.endsWith("." + parent) && !lower.substring(0, lower.length() - parent.length() - 1).contains(".");
        }
        return lower.equals(pattern);
    }

    static List<Filter> filters(SplittableRandom random) {
        if (random.nextBoolean()) {
            return List.of();
        }
        List<Filter> chosen = new ArrayList<>();
        for (Filter filter : FILTER_CHOICES) {
            if (random.nextInt(3) == 0) {
                chosen.add(filter);
            }
        }
        return chosen.isEmpty() ? List.of(FILTER_CHOICES.get(random.nextInt(FILTER_CHOICES.size()))) : chosen;
    }

    private static void add(World world, PortalResource.Kind kind, String address, UUID site, List<Filter> filters, List<InetAddress> hosts,
                            List<String> names, int index) {
        UUID id = new UUID(0x7e50, index);
        world.portal.resources.put(id, new PortalResource(id, kind, address, world.siteOf(site), filters, hosts, names));
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }
}
