package dev.zonewire.platform.linux;

/**
 * A policy routing rule that sends packets to a routing table depending on their firewall mark,
 * like {@code ip rule add not fwmark 0xfd002021 lookup 0x2021fd00}: the reference keeps its own
 * sockets (which carry the mark) out of the tunnel's table this way.
 *
 * @param ipv6 whether the rule is for IPv6 (else IPv4)
 * @param firewallMark the mark to match ({@code SO_MARK} on a socket)
 * @param invert match packets that do not carry the mark
 * @param table the table to look up
 * @param priority the rule's position, lower first; 0 lets the kernel pick one just before the
 *     main table's rule
 */
public record RoutingRule(boolean ipv6, int firewallMark, boolean invert, int table, int priority) {
    public RoutingRule {
        if (table == 0) {
            throw new IllegalArgumentException("routing table 0 is not a table");
        }
    }

    @Override
    public String toString() {
        return (ipv6 ? "ipv6 " : "ipv4 ") + (priority == 0 ? "" : priority + ": ") + (invert ? "not " : "")
                + "fwmark 0x" + Integer.toHexString(firewallMark) + " lookup " + Integer.toUnsignedString(table);
    }
}
