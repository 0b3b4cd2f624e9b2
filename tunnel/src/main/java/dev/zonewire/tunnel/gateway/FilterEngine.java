package dev.zonewire.tunnel.gateway;

import dev.zonewire.tunnel.messages.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a set of resources lets through to one destination key (tunnel.md §4.4): everything when any of
 * them has an empty filter list, otherwise the union of their TCP ports, their UDP ports, and ICMP
 * (any type) if one of them allows ICMP. Other protocols are always denied.
 */
final class FilterEngine {
    static final FilterEngine PERMIT_ALL = new FilterEngine(true, PortRanges.NONE, PortRanges.NONE, false);

    private final boolean permitAll;
    private final PortRanges tcp;
    private final PortRanges udp;
    private final boolean icmp;

    private FilterEngine(boolean permitAll, PortRanges tcp, PortRanges udp, boolean icmp) {
        this.permitAll = permitAll;
        this.tcp = tcp;
        this.udp = udp;
        this.icmp = icmp;
    }

    /** The engine for resources with these filter lists, one list per resource. */
    static FilterEngine of(List<List<Filter>> filterLists) {
        if (filterLists.stream().anyMatch(List::isEmpty)) {
            return PERMIT_ALL;
        }
        List<int[]> tcpRanges = new ArrayList<>();
        List<int[]> udpRanges = new ArrayList<>();
        boolean icmp = false;
        for (List<Filter> filters : filterLists) {
            for (Filter filter : filters) {
                switch (filter) {
                    case Filter.Tcp range -> tcpRanges.add(new int[] {range.portRangeStart(), range.portRangeEnd()});
                    case Filter.Udp range -> udpRanges.add(new int[] {range.portRangeStart(), range.portRangeEnd()});
                    case Filter.Icmp any -> icmp = true;
                }
            }
        }
        return new FilterEngine(false, PortRanges.union(tcpRanges), PortRanges.union(udpRanges), icmp);
    }

    boolean allows(TransportProtocol protocol, int destinationPort) {
        if (permitAll) {
            return true;
        }
        return switch (protocol) {
            case TCP -> tcp.contains(destinationPort);
            case UDP -> udp.contains(destinationPort);
            case ICMP_ECHO, ICMP_OTHER -> icmp;
            case OTHER -> false;
        };
    }
}
