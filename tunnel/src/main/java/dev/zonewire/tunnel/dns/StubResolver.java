package dev.zonewire.tunnel.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The client's stub-resolver decisions (tunnel.md §3.8.2), per parsed query:
 * <ol>
 *   <li>{@code use-application-dns.net} (Firefox's DoH canary) gets NXDOMAIN;</li>
 *   <li>known hosts answer A, AAAA and PTR from a static table;</li>
 *   <li>a name matching a DNS resource gets its 4 IPv4 proxy IPs for A and 4 IPv6 for AAAA, an empty
 *       NOERROR for HTTPS (so applications fall back to A/AAAA);</li>
 *   <li>a PTR for a proxy IP we handed out gets its name;</li>
 *   <li>everything else is forwarded upstream.</li>
 * </ol>
 * Local answers have TTL {@value #TTL_SECONDS} s, RA set, and echo the id, opcode, RD and question.
 */
public final class StubResolver {
    public static final long TTL_SECONDS = 1;
    private static final Name DOH_CANARY = Name.fromConstantString("use-application-dns.net.");

    private final ProxyIpAllocator proxyIps;
    private final DnsResourcePatterns patterns = new DnsResourcePatterns();
    private final Map<String, List<InetAddress>> knownHosts;
    private final Map<InetAddress, Name> knownHostByAddress = new HashMap<>();

    /** {@code knownHosts}: lower-case names without trailing dot to fixed addresses (empty in production, as in the reference). */
    public StubResolver(ProxyIpAllocator proxyIps, Map<String, List<InetAddress>> knownHosts) {
        this.proxyIps = proxyIps;
        this.knownHosts = Map.copyOf(knownHosts);
        knownHosts.forEach((name, addresses) -> addresses.forEach(address -> knownHostByAddress.put(address, absolute(name))));
    }

    /** Registers a DNS resource; false when its pattern does not parse (the resource then stays inactive). */
    public boolean addResource(UUID resourceId, String pattern) {
        return patterns.add(resourceId, pattern);
    }

    public void removeResource(UUID resourceId) {
        patterns.remove(resourceId);
    }

    /** The proxy addresses handed out for the name that owns {@code address}, or null. */
    public ProxyIps proxyIpsOf(InetAddress address) {
        return proxyIps.byAddress(address);
    }

    /** The same for an address given as bits (see {@link dev.zonewire.tunnel.net.Addresses}); allocates nothing. */
    public ProxyIps proxyIpsOf(int version, long high, long low) {
        return proxyIps.byAddress(version, high, low);
    }

    /** Traffic to a proxy address keeps its name from being recycled. */
    public void markUsed(int version, long high, long low, long nowNanos) {
        proxyIps.markUsed(version, high, low, nowNanos);
    }

    /** The DNS resource a (valid, textual) name falls under, or null. */
    public UUID matchResource(String name) {
        return patterns.match(labels(absolute(name)));
    }

    public Resolution resolve(Message query, long nowNanos) {
        // The section, not the header count: dnsjava stops reading sections of a message with TC set.
        if (query.getHeader().getFlag(Flags.QR) || query.getSection(Section.QUESTION).size() != 1) {
            return answer(query, Rcode.SERVFAIL, List.of(), Resolution.Kind.MALFORMED_QUERY);
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return answer(query, Rcode.NOTIMP, List.of(), Resolution.Kind.UNSUPPORTED_OPCODE);
        }
        Record question = query.getQuestion();
        Name name = question.getName();
        int type = question.getType();
        if (question.getDClass() != DClass.IN) {
            return new Resolution.Forward();
        }
        if (name.equals(DOH_CANARY)) {
            return answer(query, Rcode.NXDOMAIN, List.of(), Resolution.Kind.LOCAL);
        }
        List<Record> known = knownHostRecords(name, type);
        if (known != null) {
            return answer(query, Rcode.NOERROR, known, Resolution.Kind.LOCAL);
        }
        List<String> labels = labels(name);
        if (type == Type.PTR) {
            return reverseLookup(query, name, labels);
        }
        UUID resource = patterns.match(labels);
        if (resource == null) {
            return new Resolution.Forward();
        }
        return switch (type) {
            case Type.A, Type.AAAA -> proxyAnswer(query, name, type, resource, nowNanos);
            case Type.HTTPS -> answer(query, Rcode.NOERROR, List.of(), Resolution.Kind.LOCAL);
            default -> new Resolution.Forward();
        };
    }

    private Resolution proxyAnswer(Message query, Name name, int type, UUID resource, long nowNanos) {
        ProxyIps ips = proxyIps.assign(key(name), resource, nowNanos);
        if (ips == null) {
            return answer(query, Rcode.SERVFAIL, List.of(), Resolution.Kind.PROXY_IPS_EXHAUSTED);
        }
        List<Record> records = new ArrayList<>(ProxyIps.PER_FAMILY);
        if (type == Type.A) {
            ips.ipv4().forEach(ip -> records.add(new ARecord(name, DClass.IN, TTL_SECONDS, ip)));
        } else {
            ips.ipv6().forEach(ip -> records.add(new AAAARecord(name, DClass.IN, TTL_SECONDS, ip)));
        }
        return answer(query, Rcode.NOERROR, records, Resolution.Kind.LOCAL);
    }

    private Resolution reverseLookup(Message query, Name name, List<String> labels) {
        InetAddress address = ReverseNames.address(labels);
        ProxyIps owner = address == null ? null : proxyIps.byAddress(address);
        if (owner == null) {
            return new Resolution.Forward();
        }
        Record ptr = new PTRRecord(name, DClass.IN, TTL_SECONDS, absolute(owner.name()));
        return answer(query, Rcode.NOERROR, List.of(ptr), Resolution.Kind.LOCAL);
    }

    private List<Record> knownHostRecords(Name name, int type) {
        if (type == Type.PTR) {
            InetAddress address = ReverseNames.address(labels(name));
            Name host = address == null ? null : knownHostByAddress.get(address);
            return host == null ? null : List.of(new PTRRecord(name, DClass.IN, TTL_SECONDS, host));
        }
        List<InetAddress> addresses = knownHosts.get(key(name));
        if (addresses == null || type != Type.A && type != Type.AAAA) {
            return null;
        }
        List<Record> records = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (type == Type.A && address instanceof Inet4Address) {
                records.add(new ARecord(name, DClass.IN, TTL_SECONDS, address));
            } else if (type == Type.AAAA && address instanceof Inet6Address) {
                records.add(new AAAARecord(name, DClass.IN, TTL_SECONDS, address));
            }
        }
        return records;
    }

    private static Resolution.Answer answer(Message query, int rcode, List<Record> records, Resolution.Kind kind) {
        return new Resolution.Answer(DnsMessages.response(query, rcode, records), kind);
    }

    /** The map key of a name: lower case, no trailing dot (DNS names compare without case). */
    static String key(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    /** The labels of {@code name} without the root, as ISO-8859-1 text of their raw bytes. */
    static List<String> labels(Name name) {
        int count = name.labels() - (name.isAbsolute() ? 1 : 0);
        List<String> labels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] label = name.getLabel(i);
            labels.add(new String(label, 1, label[0] & 0xFF, StandardCharsets.ISO_8859_1));
        }
        return labels;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
