package dev.zonewire.tunnel.messages;

/**
 * One traffic filter of a resource, enforced by the gateway. JSON {@code {"protocol":"tcp"|"udp",
 * "port_range_start":n,"port_range_end":m}} (a missing start is 0, a missing end 65535) or
 * {@code {"protocol":"icmp"}}. A range whose start lies after its end matches no port.
 */
public sealed interface Filter {
    int MAX_PORT = 65535;

    record Tcp(int portRangeStart, int portRangeEnd) implements Filter {
        public Tcp {
            checkPorts(portRangeStart, portRangeEnd);
        }
    }

    record Udp(int portRangeStart, int portRangeEnd) implements Filter {
        public Udp {
            checkPorts(portRangeStart, portRangeEnd);
        }
    }

    record Icmp() implements Filter {}

    private static void checkPorts(int start, int end) {
        if (start < 0 || start > MAX_PORT || end < 0 || end > MAX_PORT) {
            throw new IllegalArgumentException("ports must lie in 0.." + MAX_PORT);
        }
    }
}
