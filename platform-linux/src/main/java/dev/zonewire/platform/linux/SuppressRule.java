package dev.zonewire.platform.linux;

/**
 * A policy rule that looks up a table but ignores its routes of a prefix length up to
 * {@code suppressPrefixLength}, like {@code ip rule add table main suppress_prefixlength 0}:
 * wg-quick adds it so that the main table's specific routes (the LAN, the tunnel's endpoint)
 * still apply while a default route in the tunnel's own table takes everything else.
 *
 * @param ipv6 whether the rule is for IPv6 (else IPv4)
 * @param table the table to look up, e.g. {@link Route#MAIN_TABLE}
 * @param suppressPrefixLength routes with this many prefix bits or fewer are ignored (0: only default routes)
 */
public record SuppressRule(boolean ipv6, int table, int suppressPrefixLength) {
    public SuppressRule {
        if (table == 0) {
            throw new IllegalArgumentException("routing table 0 is not a table");
        }
        if (suppressPrefixLength < 0 || suppressPrefixLength > (ipv6 ? 128 : 32)) {
            throw new IllegalArgumentException("suppress_prefixlength " + suppressPrefixLength + " is not a prefix length");
        }
    }

    @Override
    public String toString() {
        return (ipv6 ? "ipv6 " : "ipv4 ") + "lookup " + Integer.toUnsignedString(table) + " suppress_prefixlength "
                + suppressPrefixLength;
    }
}
