package dev.zonewire.tunnel.sim;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The simulated world's DNS: every name with its addresses, answered by the host's resolver, the gateways and site servers alike. */
final class DnsRecords {
    static final long TTL = 86_400;

    private final Map<String, List<InetAddress>> byName = new LinkedHashMap<>();

    void add(String name, List<InetAddress> addresses) {
        byName.put(key(name), List.copyOf(addresses));
    }

    /** The addresses of a name, IPv6 first as a gateway's resolver returns them; empty when unknown. */
    List<InetAddress> resolve(String name) {
        List<InetAddress> addresses = byName.getOrDefault(key(name), List.of());
        List<InetAddress> ordered = new ArrayList<>(addresses.stream().filter(ip -> ip instanceof Inet6Address).toList());
        ordered.addAll(addresses.stream().filter(ip -> ip instanceof Inet4Address).toList());
        return ordered;
    }

    boolean knows(String name) {
        return byName.containsKey(key(name));
    }

    /** What a recursive resolver answers to {@code query}: the records of its type, NXDOMAIN for an unknown name. */
    byte[] answer(byte[] query) {
        Message request;
        try {
            request = new Message(query);
        } catch (Exception unreadable) {
            return null;
        }
        Record question = request.getQuestion();
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (request.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response.toWire();
        }
        response.addRecord(question, Section.QUESTION);
        String name = question.getName().toString(true);
        if (!knows(name)) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response.toWire();
        }
        for (InetAddress address : resolve(name)) {
            Name owner = question.getName();
            if (question.getType() == Type.A && address instanceof Inet4Address) {
                response.addRecord(new ARecord(owner, DClass.IN, TTL, address), Section.ANSWER);
            } else if (question.getType() == Type.AAAA && address instanceof Inet6Address) {
                response.addRecord(new AAAARecord(owner, DClass.IN, TTL, address), Section.ANSWER);
            }
        }
        return response.toWire();
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
