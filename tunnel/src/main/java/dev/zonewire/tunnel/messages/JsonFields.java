package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zonewire.common.Secret;
import dev.zonewire.tunnel.net.IpLiterals;
import dev.zonewire.tunnel.net.IpNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object of a portal message, keeping the JSON path for errors. A
 * "required" field must be present and not null; an "optional" one may be absent or null; a
 * "nullable" one must be present but may be null (the reference's {@code expires_at}).
 */
final class JsonFields {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int KEY_BYTES = 32;
    private static final int SHOWN_ENUM_CHARS = 32;

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException(describe(path) + " must be a JSON object");
        }
        return new JsonFields(node, path);
    }

    /** This object's own JSON path, {@code ""} for the payload itself. */
    String path() {
        return path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode required(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new MalformedMessageException("missing required field '" + path(field) + "'");
        }
        if (value.isNull()) {
            throw new MalformedMessageException("required field '" + path(field) + "' is null");
        }
        return value;
    }

    String text(String field) {
        return asText(required(field), path(field));
    }

    String optionalText(String field) {
        return has(field) ? text(field) : null;
    }

    UUID id(String field) {
        return asId(required(field), path(field));
    }

    UUID optionalId(String field) {
        return has(field) ? id(field) : null;
    }

    List<UUID> ids(String field) {
        return list(field, (element, elementPath) -> asId(element, elementPath));
    }

    long integer(String field, long minimum, long maximum) {
        return asInteger(required(field), path(field), minimum, maximum);
    }

    /** A field that must be present but may be null; null comes back as null. */
    Long nullableInteger(String field, long minimum, long maximum) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new MalformedMessageException("missing required field '" + path(field) + "' (it may be null, not absent)");
        }
        return value.isNull() ? null : asInteger(value, path(field), minimum, maximum);
    }

    Long optionalInteger(String field, long minimum, long maximum) {
        return has(field) ? integer(field, minimum, maximum) : null;
    }

    boolean bool(String field) {
        JsonNode value = required(field);
        if (!value.isBoolean()) {
            throw new MalformedMessageException("field '" + path(field) + "' must be true or false");
        }
        return value.booleanValue();
    }

    Inet4Address ipv4(String field) {
        try {
            return IpLiterals.parseIpv4(text(field));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + path(field) + "' is not an IPv4 address");
        }
    }

    Inet6Address ipv6(String field) {
        try {
            return IpLiterals.parseIpv6(text(field));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + path(field) + "' is not an IPv6 address");
        }
    }

    InetAddress ip(String field) {
        return asIp(required(field), path(field));
    }

    List<InetAddress> ips(String field) {
        return list(field, JsonFields::asIp);
    }

    IpNetwork network(String field) {
        String text = text(field);
        try {
            return IpNetwork.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + path(field) + "' is not an IP network: " + e.getMessage());
        }
    }

    InetSocketAddress socketAddress(String field) {
        String text = text(field);
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new MalformedMessageException("field '" + path(field) + "' is not an address:port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        try {
            InetAddress address;
            if (host.startsWith("[") && host.endsWith("]")) {
                address = IpLiterals.parseIpv6(host.substring(1, host.length() - 1));
            } else {
                address = IpLiterals.parseIpv4(host);
            }
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad port");
            }
            int port = Integer.parseInt(portText);
            if (port > 65535) {
                throw new IllegalArgumentException("bad port");
            }
            return new InetSocketAddress(address, port);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + path(field) + "' is not an address:port");
        }
    }

    /** A 32-byte key in standard base64 with padding, kept secret: the error never shows it. */
    Secret key32Secret(String field) {
        return Secret.ofBytes(key32(field));
    }

    PublicKey publicKey(String field) {
        return PublicKey.of(key32(field));
    }

    Secret secretText(String field) {
        return Secret.of(text(field));
    }

    JsonFields object(String field) {
        return of(required(field), path(field));
    }

    /** The nested object, or null when the field is absent or null. */
    JsonFields optionalObject(String field) {
        return has(field) ? object(field) : null;
    }

    <T> List<T> list(String field, ElementReader<T> reader) {
        return readList(required(field), path(field), reader);
    }

    /** An absent or null list reads as empty (the reference's {@code #[serde(default)]}). */
    <T> List<T> optionalList(String field, ElementReader<T> reader) {
        return has(field) ? list(field, reader) : List.of();
    }

    <T> List<T> objects(String field, Function<JsonFields, T> reader) {
        return list(field, (element, elementPath) -> reader.apply(of(element, elementPath)));
    }

    <T> List<T> optionalObjects(String field, Function<JsonFields, T> reader) {
        return has(field) ? objects(field, reader) : List.of();
    }

    List<String> strings(String field) {
        return list(field, JsonFields::asText);
    }

    MalformedMessageException unknownTag(String field, String value) {
        String shown = value.length() > SHOWN_ENUM_CHARS ? value.substring(0, SHOWN_ENUM_CHARS) + "…" : value;
        return new MalformedMessageException("field '" + path(field) + "' has unknown value '" + shown + "'");
    }

    @FunctionalInterface
    interface ElementReader<T> {
        T read(JsonNode element, String elementPath);
    }

    static <T> List<T> readList(JsonNode array, String arrayPath, ElementReader<T> reader) {
        if (!array.isArray()) {
            throw new MalformedMessageException("field '" + arrayPath + "' must be a JSON array");
        }
        List<T> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String elementPath = arrayPath + "[" + i + "]";
            JsonNode element = array.get(i);
            if (element.isNull()) {
                throw new MalformedMessageException("element '" + elementPath + "' is null");
            }
            values.add(reader.read(element, elementPath));
        }
        return List.copyOf(values);
    }

    static String asText(JsonNode value, String valuePath) {
        if (!value.isTextual()) {
            throw new MalformedMessageException("field '" + valuePath + "' must be a string");
        }
        return value.textValue();
    }

    static UUID asId(JsonNode value, String valuePath) {
        String text = asText(value, valuePath);
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new MalformedMessageException("field '" + valuePath + "' is not a UUID");
        }
        return UUID.fromString(text);
    }

    static InetAddress asIp(JsonNode value, String valuePath) {
        try {
            return IpLiterals.parse(asText(value, valuePath));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + valuePath + "' is not an IP address");
        }
    }

    private static long asInteger(JsonNode value, String valuePath, long minimum, long maximum) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedMessageException("field '" + valuePath + "' must be an integer");
        }
        long number = value.longValue();
        if (number < minimum || number > maximum) {
            throw new MalformedMessageException("field '" + valuePath + "' must be between " + minimum + " and " + maximum);
        }
        return number;
    }

    private byte[] key32(String field) {
        String text = text(field);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("field '" + path(field) + "' is not standard base64 (value hidden)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new MalformedMessageException("field '" + path(field) + "' must decode to " + KEY_BYTES + " bytes, not " + bytes.length);
        }
        return bytes;
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the payload" : "field '" + path + "'";
    }
}
