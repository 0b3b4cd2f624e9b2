package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** JSON form of the value types shared by the client and gateway topics (portal-protocol.md §3.1). */
final class ValueCodec {
    private static final long MAX_UNIX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private ValueCodec() {}

    static Interface readInterface(JsonFields json) {
        return new Interface(json.ipv4("ipv4"), json.ipv6("ipv6"), json.optionalObjects("upstream_dns", ValueCodec::readDnsServer));
    }

    static ObjectNode writeInterface(Interface value, boolean withUpstreamDns) {
        ObjectNode json = PortalJson.object();
        json.put("ipv4", IpLiterals.format(value.ipv4()));
        json.put("ipv6", IpLiterals.format(value.ipv6()));
        if (withUpstreamDns) {
            ArrayNode servers = json.putArray("upstream_dns");
            for (DnsServer server : value.upstreamDns()) {
                servers.addObject().put("protocol", "ip_port").put("address", socketAddress(server.address()));
            }
        }
        return json;
    }

    static DnsServer readDnsServer(JsonFields json) {
        String protocol = json.text("protocol");
        if (!protocol.equals("ip_port")) {
            throw json.unknownTag("protocol", protocol);
        }
        return new DnsServer(json.socketAddress("address"));
    }

    static Relay readRelay(JsonFields json) {
        String type = json.text("type");
        return switch (type) {
            case "turn" -> new Relay.Turn(json.id("id"), json.socketAddress("addr"), json.text("username"),
                    json.secretText("password"), json.integer("expires_at", 0, MAX_UNIX_SECONDS));
            case "stun" -> new Relay.Stun(json.id("id"), json.socketAddress("addr"));
            default -> throw json.unknownTag("type", type);
        };
    }

    static ObjectNode writeRelay(Relay relay) {
        ObjectNode json = PortalJson.object();
        json.put("id", relay.id().toString());
        switch (relay) {
            case Relay.Turn turn -> json.put("type", "turn")
                    .put("addr", socketAddress(turn.address()))
                    .put("username", turn.username())
                    .put("password", turn.password().expose())
                    .set("expires_at", number(turn.expiresAt()));
            case Relay.Stun stun -> json.put("type", "stun").put("addr", socketAddress(stun.address()));
        }
        return json;
    }

    static ArrayNode writeRelays(List<Relay> relays) {
        ArrayNode array = PortalJson.array();
        relays.forEach(relay -> array.add(writeRelay(relay)));
        return array;
    }

    static Filter readFilter(JsonFields json) {
        String protocol = json.text("protocol");
        return switch (protocol) {
            case "tcp" -> new Filter.Tcp(portStart(json), portEnd(json));
            case "udp" -> new Filter.Udp(portStart(json), portEnd(json));
            case "icmp" -> new Filter.Icmp();
            default -> throw json.unknownTag("protocol", protocol);
        };
    }

    static ArrayNode writeFilters(List<Filter> filters) {
        ArrayNode array = PortalJson.array();
        for (Filter filter : filters) {
            ObjectNode json = array.addObject();
            switch (filter) {
                case Filter.Tcp tcp -> json.put("protocol", "tcp").put("port_range_start", tcp.portRangeStart()).put("port_range_end", tcp.portRangeEnd());
                case Filter.Udp udp -> json.put("protocol", "udp").put("port_range_start", udp.portRangeStart()).put("port_range_end", udp.portRangeEnd());
                case Filter.Icmp icmp -> json.put("protocol", "icmp");
            }
        }
        return array;
    }

    static ResolveRequest readResolveRequest(JsonFields json) {
        return new ResolveRequest(json.text("name"), json.ips("proxy_ips"));
    }

    static ObjectNode writeResolveRequest(ResolveRequest request) {
        ObjectNode json = PortalJson.object();
        json.put("name", request.name());
        json.set("proxy_ips", ips(request.proxyIps()));
        return json;
    }

    static IceCredentials readIceCredentials(JsonFields json) {
        return new IceCredentials(json.text("username"), json.secretText("password"));
    }

    static ObjectNode writeIceCredentials(IceCredentials credentials) {
        return PortalJson.object().put("username", credentials.username()).put("password", credentials.password().expose());
    }

    static Site readSite(JsonFields json) {
        return new Site(json.id("id"), json.text("name"));
    }

    static ArrayNode writeSites(List<Site> sites) {
        ArrayNode array = PortalJson.array();
        sites.forEach(site -> array.addObject().put("id", site.id().toString()).put("name", site.name()));
        return array;
    }

    static GatewayResponse readGatewayResponse(JsonFields json) {
        if (json.has("ConnectionAccepted")) {
            JsonFields accepted = json.object("ConnectionAccepted");
            return new GatewayResponse.ConnectionAccepted(readIceCredentials(accepted.object("ice_parameters")));
        }
        if (json.has("ResourceAccepted")) {
            JsonFields response = json.object("ResourceAccepted").object("domain_response");
            return new GatewayResponse.ResourceAccepted(response.text("domain"), response.ips("address"));
        }
        throw new MalformedMessageException("field '" + json.path() + "' holds neither ConnectionAccepted nor ResourceAccepted");
    }

    static ObjectNode writeGatewayResponse(GatewayResponse response) {
        ObjectNode json = PortalJson.object();
        switch (response) {
            case GatewayResponse.ConnectionAccepted accepted ->
                    json.putObject("ConnectionAccepted").set("ice_parameters", writeIceCredentials(accepted.iceParameters()));
            case GatewayResponse.ResourceAccepted accepted -> {
                ObjectNode domainResponse = json.putObject("ResourceAccepted").putObject("domain_response");
                domainResponse.put("domain", accepted.domain());
                domainResponse.set("address", ips(accepted.addresses()));
            }
        }
        return json;
    }

    static Long readExpiresAt(JsonFields json) {
        return json.nullableInteger("expires_at", 0, MAX_UNIX_SECONDS);
    }

    static void writeExpiresAt(ObjectNode json, Long expiresAt) {
        if (expiresAt == null) {
            json.putNull("expires_at");
        } else {
            json.set("expires_at", number(expiresAt));
        }
    }

    /** An integer node of the smallest fitting kind, as a parser would make it, so trees compare equal. */
    static JsonNode number(long value) {
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    static ArrayNode ids(Collection<UUID> ids) {
        ArrayNode array = PortalJson.array();
        ids.forEach(id -> array.add(id.toString()));
        return array;
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = PortalJson.array();
        values.forEach(array::add);
        return array;
    }

    static ArrayNode ips(Collection<InetAddress> addresses) {
        ArrayNode array = PortalJson.array();
        addresses.forEach(address -> array.add(IpLiterals.format(address)));
        return array;
    }

    static String socketAddress(InetSocketAddress address) {
        String host = IpLiterals.format(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static int portStart(JsonFields json) {
        return json.has("port_range_start") ? (int) json.integer("port_range_start", 0, Filter.MAX_PORT) : 0;
    }

    private static int portEnd(JsonFields json) {
        return json.has("port_range_end") ? (int) json.integer("port_range_end", 0, Filter.MAX_PORT) : Filter.MAX_PORT;
    }
}
