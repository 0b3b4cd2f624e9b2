package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.Errno;
import dev.zonewire.platform.linux.ErrnoException;
import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.Route;
import dev.zonewire.platform.linux.RoutingRule;
import dev.zonewire.platform.linux.Rtnetlink;
import dev.zonewire.platform.linux.SuppressRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes wg-quick adds for an interface's allowed IPs, and for a default route its policy
 * routing, which this remembers so as to remove it again. Routes go with the interface; rules
 * stay in the kernel until removed.
 *
 * <p>A default route ({@code 0.0.0.0/0} or {@code ::/0}) with {@code Table = auto} is done as
 * wg-quick does it: the route goes into a table of its own (the interface's firewall mark, or the
 * first free table from 51820, which then becomes the mark), a rule sends every packet without
 * that mark to that table, and a rule lets the main table's more specific routes win first. The
 * tunnel's own UDP packets carry the mark, so they leave by the main table, not into the tunnel.
 */
final class InterfaceRoutes {
    /** wg-quick's first choice of table (and firewall mark) for a default route. */
    static final int DEFAULT_ROUTE_TABLE = 51820;

    private static final Logger log = LoggerFactory.getLogger(InterfaceRoutes.class);

    private final List<RoutingRule> markRules = new ArrayList<>();
    private final List<SuppressRule> suppressRules = new ArrayList<>();

    /** Adds the routes (and rules) for {@code config}'s allowed IPs; on failure, removes the rules it added. */
    static InterfaceRoutes add(Rtnetlink netlink, WireGuardDevice device, WgQuickConfig config, String namespace)
            throws IOException {
        InterfaceRoutes routes = new InterfaceRoutes();
        try {
            routes.addAll(netlink, device, config, namespace);
        } catch (IOException | RuntimeException e) {
            routes.remove(netlink);
            throw e;
        }
        return routes;
    }

    /** Removes the rules added; a rule already gone is no error. */
    void remove(Rtnetlink netlink) {
        for (SuppressRule rule : suppressRules.reversed()) {
            removeQuietly(() -> netlink.removeRule(rule), rule);
        }
        for (RoutingRule rule : markRules.reversed()) {
            removeQuietly(() -> netlink.removeRule(rule), rule);
        }
        suppressRules.clear();
        markRules.clear();
    }

    /**
     * A route per allowed IP, longest prefixes first: in the main table unless one of the
     * interface's routes already covers it (an address's own subnet), or all of them in the
     * table the file names; none with {@code Table = off}.
     */
    private void addAll(Rtnetlink netlink, WireGuardDevice device, WgQuickConfig config, String namespace)
            throws IOException {
        WgQuickConfig.RouteTable table = config.table();
        if (!table.routes()) {
            return;
        }
        int index = device.interfaceIndex();
        for (IpPrefix prefix : allowedIps(config)) {
            if (table.isAuto() && prefix.length() == 0) {
                routeEverything(netlink, device, prefix, namespace);
            } else if (!table.isAuto()) {
                addRoute(netlink, Route.toInterface(prefix, index).inTable(table.number()));
            } else if (!coveredByInterface(netlink, index, prefix)) {
                addRoute(netlink, Route.toInterface(prefix, index));
            }
        }
    }

    private static List<IpPrefix> allowedIps(WgQuickConfig config) {
        List<IpPrefix> prefixes = new ArrayList<>();
        for (DeviceConfig.Peer peer : config.peers()) {
            for (IpPrefix prefix : peer.allowedIps()) {
                if (!prefixes.contains(prefix.network())) {
                    prefixes.add(prefix.network());
                }
            }
        }
        prefixes.sort(Comparator.comparingInt(IpPrefix::length).reversed());
        return prefixes;
    }

    private void routeEverything(Rtnetlink netlink, WireGuardDevice device, IpPrefix defaultRoute, String namespace)
            throws IOException {
        int table = device.firewallMark();
        if (table == 0) {
            table = firstFreeTable(netlink);
            device.setFirewallMark(table);
        }
        boolean ipv6 = !defaultRoute.isIpv4();
        RoutingRule markRule = new RoutingRule(ipv6, table, true, table, 0);
        netlink.addRule(markRule);
        markRules.add(markRule);
        SuppressRule suppressRule = new SuppressRule(ipv6, Route.MAIN_TABLE, 0);
        netlink.addRule(suppressRule);
        suppressRules.add(suppressRule);
        addRoute(netlink, Route.toInterface(defaultRoute, device.interfaceIndex()).inTable(table));
        if (!ipv6) {
            enableSourceValidMark(namespace);
        }
        log.info("All {} traffic goes through interface {}: table {} and firewall mark {}", ipv6 ? "IPv6" : "IPv4",
                device.interfaceName(), Integer.toUnsignedString(table), Integer.toUnsignedString(table));
    }

    private static int firstFreeTable(Rtnetlink netlink) throws IOException {
        int table = DEFAULT_ROUTE_TABLE;
        while (!netlink.routes(table).isEmpty()) {
            table++;
        }
        return table;
    }

    /** Reverse-path filtering must see the mark of our UDP packets' replies, as wg-quick sets. */
    private static void enableSourceValidMark(String namespace) throws IOException {
        Path setting = Path.of("/proc/sys/net/ipv4/conf/all/src_valid_mark");
        NetworkNamespace.Task<Void> write = () -> {
            if (!Files.readString(setting, StandardCharsets.US_ASCII).strip().equals("1")) {
                Files.writeString(setting, "1", StandardCharsets.US_ASCII);
            }
            return null;
        };
        if (namespace == null) {
            write.run();
        } else {
            NetworkNamespace.call(namespace, write);
        }
    }

    private static void addRoute(Rtnetlink netlink, Route route) throws IOException {
        try {
            netlink.addRoute(route);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EEXIST) {
                throw new IOException("AllowedIPs " + Addresses.format(route.destination()) + ": table "
                        + Integer.toUnsignedString(route.table()) + " has a route to it already (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private static boolean coveredByInterface(Rtnetlink netlink, int index, IpPrefix prefix) throws IOException {
        for (Route route : netlink.routes(Route.MAIN_TABLE)) {
            IpPrefix destination = route.destination();
            if (route.interfaceIndex() == index && destination.isIpv4() == prefix.isIpv4()
                    && destination.length() <= prefix.length()
                    && new IpPrefix(prefix.address(), destination.length()).network().equals(destination.network())) {
                return true;
            }
        }
        return false;
    }

    private interface Removal {
        void run() throws IOException;
    }

    private static void removeQuietly(Removal removal, Object rule) {
        try {
            removal.run();
        } catch (IOException e) {
            log.warn("Could not remove rule {}: {}", rule, e.getMessage());
        }
    }
}
