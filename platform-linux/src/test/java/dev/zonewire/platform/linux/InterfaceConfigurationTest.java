package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuring a TUN interface through {@link Rtnetlink}, checked against what {@code ip -j} reports. */
class InterfaceConfigurationTest {
    private static final String TUN = "zw-plt-cfg0";
    private static final int TUNNEL_TABLE = 0x2021fd00;
    private static final int TUNNEL_MARK = 0xfd002021;

    private TestNamespace namespace;
    private TunDevice tun;
    private Rtnetlink netlink;

    @BeforeEach
    void openTunInFreshNamespace() throws IOException {
        namespace = TestNamespace.create();
        tun = namespace.call(() -> TunDevice.open(TunOptions.named(TUN)));
        netlink = namespace.call(Rtnetlink::open);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (netlink != null) {
            netlink.close();
        }
        if (tun != null) {
            tun.close();
        }
        namespace.close();
    }

    @Test
    void mtuAddressesAndLinkStateAreWhatIpReports() throws IOException {
        netlink.setMtu(tun.index(), 1280);
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/32"));
        netlink.addAddress(tun.index(), IpPrefix.parse("fd00:2021::7/128"));
        netlink.setUp(tun.index(), true);

        JsonNode link = namespace.json("ip", "-j", "addr", "show", "dev", TUN).get(0);
        assertThat(link.get("ifindex").asInt()).isEqualTo(tun.index());
        assertThat(link.get("mtu").asInt()).isEqualTo(1280);
        assertThat(texts(link.get("flags"))).contains("UP");
        assertThat(addresses(link)).contains("100.64.7.1/32", "fd00:2021::7/128");
        JsonNode ipv6 = link.get("addr_info").findParents("local").stream()
                .filter(a -> a.get("local").asText().equals("fd00:2021::7")).findFirst().orElseThrow();
        assertThat(ipv6.path("nodad").asBoolean()).as("IPv6 address without duplicate address detection").isTrue();
        assertThat(netlink.link(TUN)).isEqualTo(new Link(tun.index(), TUN, 1280, true));
        assertThat(netlink.addresses(tun.index()))
                .contains(IpPrefix.parse("100.64.7.1/32"), IpPrefix.parse("fd00:2021::7/128"));
    }

    @Test
    void removedAddressesAndLinkDownAreWhatIpReports() throws IOException {
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/32"));
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.2/32"));
        netlink.setUp(tun.index(), true);

        netlink.removeAddress(tun.index(), IpPrefix.parse("100.64.7.1/32"));
        netlink.setUp(tun.index(), false);

        JsonNode link = namespace.json("ip", "-j", "addr", "show", "dev", TUN).get(0);
        assertThat(texts(link.get("flags"))).doesNotContain("UP");
        assertThat(addresses(link)).contains("100.64.7.2/32").doesNotContain("100.64.7.1/32");
    }

    @Test
    void routesInTheMainAndTheTunnelTableAreWhatIpReports() throws IOException {
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/32"));
        netlink.setUp(tun.index(), true);
        Route v4 = Route.toInterface(IpPrefix.parse("10.78.0.0/16"), tun.index());
        Route v6 = Route.toInterface(IpPrefix.parse("fd00:78::/32"), tun.index());
        Route tunnelDefault = Route.toInterface(IpPrefix.parse("0.0.0.0/0"), tun.index()).inTable(TUNNEL_TABLE);

        netlink.addRoute(v4);
        netlink.addRoute(v6);
        netlink.addRoute(tunnelDefault);

        assertThat(destinations(namespace.json("ip", "-j", "route", "show", "dev", TUN))).contains("10.78.0.0/16");
        assertThat(destinations(namespace.json("ip", "-j", "-6", "route", "show", "dev", TUN)))
                .contains("fd00:78::/32");
        assertThat(destinations(namespace.json("ip", "-j", "route", "show", "table",
                Integer.toUnsignedString(TUNNEL_TABLE)))).containsExactly("default");
        // The kernel gives IPv6 routes without a metric its default, 1024.
        assertThat(netlink.routes(Route.MAIN_TABLE)).contains(v4, v6.withMetric(1024));
        assertThat(netlink.routes(TUNNEL_TABLE)).containsExactly(tunnelDefault);
    }

    @Test
    void removedRoutesAreGoneFromWhatIpReports() throws IOException {
        netlink.setUp(tun.index(), true);
        Route kept = Route.toInterface(IpPrefix.parse("10.78.0.0/16"), tun.index());
        Route removed = Route.toInterface(IpPrefix.parse("10.79.0.0/16"), tun.index()).withMetric(50);
        netlink.addRoute(kept);
        netlink.addRoute(removed);

        netlink.removeRoute(removed);

        assertThat(destinations(namespace.json("ip", "-j", "route", "show", "dev", TUN)))
                .contains("10.78.0.0/16").doesNotContain("10.79.0.0/16");
    }

    @Test
    void theTunnelsFirewallMarkRuleIsWhatIpReports() throws IOException {
        RoutingRule rule = new RoutingRule(false, TUNNEL_MARK, true, TUNNEL_TABLE, 0);

        netlink.addRule(rule);

        String rules = namespace.run("ip", "rule", "show");
        assertThat(rules).contains("not from all fwmark 0xfd002021 lookup " + Integer.toUnsignedString(TUNNEL_TABLE));
        netlink.removeRule(rule);
        assertThat(namespace.run("ip", "rule", "show")).doesNotContain("0xfd002021");
    }

    @Test
    void aSuppressingRuleIsWhatIpReports() throws IOException {
        SuppressRule ipv4 = new SuppressRule(false, Route.MAIN_TABLE, 0);
        SuppressRule ipv6 = new SuppressRule(true, Route.MAIN_TABLE, 0);

        netlink.addRule(ipv4);
        netlink.addRule(ipv6);

        assertThat(namespace.run("ip", "-4", "rule", "show")).contains("from all lookup main suppress_prefixlength 0");
        assertThat(namespace.run("ip", "-6", "rule", "show")).contains("from all lookup main suppress_prefixlength 0");
        netlink.removeRule(ipv4);
        netlink.removeRule(ipv6);
        assertThat(namespace.run("ip", "rule", "show")).doesNotContain("suppress_prefixlength");
    }

    @Test
    void anAddressAddedTwiceFailsWithTheOperationAndEexist() throws IOException {
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/32"));

        assertThatThrownBy(() -> netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/32")))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                .hasMessageStartingWith("add address 100.64.7.1/32 to link " + TUN + ": File exists (EEXIST)");
    }

    @Test
    void aRouteOntoAMissingInterfaceFailsWithTheKernelsExplanation() {
        Route route = Route.toInterface(IpPrefix.parse("10.78.0.0/16"), 999_999);

        assertThatThrownBy(() -> netlink.addRoute(route))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                .hasMessageStartingWith("add route 10.78.0.0/16 dev #999999 table 254: No such device (ENODEV)");
    }

    @Test
    void aRouteWithHostBitsSetFailsWithEinvalAndTheKernelsExplanation() {
        Route route = Route.toInterface(IpPrefix.parse("10.78.0.1/16"), tun.index());

        assertThatThrownBy(() -> netlink.addRoute(route))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.kernelMessage()).isNotBlank();
                })
                .hasMessageContaining("Invalid argument (EINVAL): ");
    }

    @Test
    void aMissingLinkFailsWithEnodev() {
        assertThatThrownBy(() -> netlink.link("zw-plt-none"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                .hasMessage("find link zw-plt-none: No such device (ENODEV)");
    }

    @Test
    void removingARouteThatIsNotThereFailsWithEsrch() throws IOException {
        netlink.setUp(tun.index(), true);
        Route route = Route.toInterface(IpPrefix.parse("10.78.0.0/16"), tun.index());

        assertThatThrownBy(() -> netlink.removeRoute(route))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH))
                .hasMessageStartingWith("remove route 10.78.0.0/16 dev " + TUN + " table 254: No such process (ESRCH)");
    }

    @Test
    void aGatewayRouteKeepsItsGateway() throws IOException {
        netlink.addAddress(tun.index(), IpPrefix.parse("100.64.7.1/24"));
        netlink.setUp(tun.index(), true);
        Route route = new Route(IpPrefix.parse("10.90.0.0/16"), tun.index(), InetAddress.ofLiteral("100.64.7.9"),
                Route.MAIN_TABLE, 0);

        netlink.addRoute(route);

        JsonNode reported = namespace.json("ip", "-j", "route", "show", "10.90.0.0/16").get(0);
        assertThat(reported.get("gateway").asText()).isEqualTo("100.64.7.9");
        assertThat(netlink.routes(Route.MAIN_TABLE)).contains(route);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> addresses(JsonNode link) {
        List<String> addresses = new ArrayList<>();
        link.get("addr_info").forEach(a -> addresses.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt()));
        return addresses;
    }

    private static List<String> destinations(JsonNode routes) {
        List<String> destinations = new ArrayList<>();
        routes.forEach(route -> destinations.add(route.get("dst").asText()));
        return destinations;
    }
}
