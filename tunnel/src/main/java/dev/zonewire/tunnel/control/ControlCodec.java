package dev.zonewire.tunnel.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.messages.MalformedMessageException;
import dev.zonewire.tunnel.messages.PortalJson;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The payload of a control-protocol packet: an 8-byte header whose first byte is the event type (the
 * other seven are zero) and a JSON body. The IP framing (IPv6, next header 255, from {@code ::} to
 * {@code ::}) belongs to the packet layer.
 */
public final class ControlCodec {
    public static final int HEADER_LENGTH = 8;
    public static final int ASSIGNED_IPS = 0;
    public static final int DOMAIN_STATUS = 1;
    /**
     * The longest assigned_ips body: a 253-character name and 8 of the longest address literals. Well
     * below the 1280-byte packet limit. (The reference's "402 bytes" uses loopback addresses.)
     */
    public static final int MAX_BODY_LENGTH = 570;
    public static final int PROXY_IPS_PER_NAME = 8;
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ControlCodec() {}

    /** The payload for {@code event}; an assigned_ips event must carry exactly 8 proxy IPs. */
    public static byte[] encode(ControlEvent event) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        int type;
        switch (event) {
            case ControlEvent.AssignedIps assigned -> {
                if (assigned.proxyIps().size() != PROXY_IPS_PER_NAME) {
                    throw new IllegalArgumentException("assigned_ips carries exactly " + PROXY_IPS_PER_NAME + " proxy IPs");
                }
                type = ASSIGNED_IPS;
                json.put("resource", assigned.resource().toString()).put("domain", assigned.domain());
                ArrayNode ips = json.putArray("proxy_ips");
                assigned.proxyIps().forEach(ip -> ips.add(IpLiterals.format(ip)));
            }
            case ControlEvent.DomainStatus status -> {
                type = DOMAIN_STATUS;
                json.put("resource", status.resource().toString()).put("domain", status.domain())
                        .put("status", status.status() == ControlEvent.NatStatus.ACTIVE ? "Active" : "Inactive");
            }
        }
        byte[] body = PortalJson.write(json).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[HEADER_LENGTH + body.length];
        payload[0] = (byte) type;
        System.arraycopy(body, 0, payload, HEADER_LENGTH, body.length);
        return payload;
    }

    /** Decodes a payload; an unknown event type is {@link Decoded.UnknownEvent}, a bad body {@link Decoded.Malformed}. */
    public static Decoded<ControlEvent> decode(byte[] payload) {
        if (payload.length < HEADER_LENGTH) {
            return new Decoded.Malformed<>("control", "shorter than the " + HEADER_LENGTH + "-byte header");
        }
        int type = payload[0] & 0xFF;
        String event = switch (type) {
            case ASSIGNED_IPS -> "assigned_ips";
            case DOMAIN_STATUS -> "domain_status";
            default -> null;
        };
        if (event == null) {
            return new Decoded.UnknownEvent<>("control event type " + type);
        }
        try {
            JsonNode json = PortalJson.parse(new String(Arrays.copyOfRange(payload, HEADER_LENGTH, payload.length), StandardCharsets.UTF_8));
            if (!json.isObject()) {
                throw new MalformedMessageException("the body must be a JSON object");
            }
            UUID resource = uuid(json, "resource");
            String domain = text(json, "domain");
            ControlEvent decoded = type == ASSIGNED_IPS
                    ? new ControlEvent.AssignedIps(resource, domain, ips(json))
                    : new ControlEvent.DomainStatus(resource, domain,
                            "Active".equals(json.path("status").textValue()) ? ControlEvent.NatStatus.ACTIVE : ControlEvent.NatStatus.INACTIVE);
            return new Decoded.Message<>(decoded);
        } catch (MalformedMessageException e) {
            return new Decoded.Malformed<>(event, e.getMessage());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedMessageException("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static UUID uuid(JsonNode json, String field) {
        String text = text(json, field);
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new MalformedMessageException("field '" + field + "' is not a UUID");
        }
        return UUID.fromString(text);
    }

    private static List<InetAddress> ips(JsonNode json) {
        JsonNode array = json.get("proxy_ips");
        if (array == null || !array.isArray()) {
            throw new MalformedMessageException("field 'proxy_ips' must be an array");
        }
        List<InetAddress> ips = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            try {
                ips.add(IpLiterals.parse(element.isTextual() ? element.textValue() : ""));
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("field 'proxy_ips[" + i + "]' is not an IP address");
            }
        }
        return ips;
    }
}
