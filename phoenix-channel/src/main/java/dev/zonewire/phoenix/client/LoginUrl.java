package dev.zonewire.phoenix.client;

import dev.zonewire.common.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The portal's WebSocket URL for one component, with the query parameters of spec 1.1.1 in their
 * order. The token is held as a {@link Secret}: only {@link #expose()} puts it into the URL, for the
 * driver that opens the socket; {@link #toString()} and {@link #redacted()} show it as
 * {@code token=REDACTED}, which is what every log line uses.
 */
public final class LoginUrl {
    /** The component, which names the portal's socket: {@code /<mode>/websocket}. */
    public enum Mode {
        CLIENT("client"), GATEWAY("gateway"), RELAY("relay");

        private final String path;

        Mode(String path) {
            this.path = path;
        }

        /** The Phoenix topic the component joins, which is also its socket's path segment. */
        public String topic() {
            return path;
        }
    }

    /** Hardware identifiers a client sends when it knows them (spec 1.1.1, parameters 7 to 10). */
    public record DeviceInfo(
            Optional<String> deviceSerial,
            Optional<String> deviceUuid,
            Optional<String> identifierForVendor,
            Optional<String> firebaseInstallationId) {
        public static final DeviceInfo NONE = new DeviceInfo(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private record Param(String name, String value) {}

    private static final String PUBLIC_KEY = "public_key";

    private final Mode mode;
    private final boolean secure;
    private final String host;
    private final int port;
    private final String path;
    private final Secret token;
    private final List<Param> params;

    private LoginUrl(Mode mode, boolean secure, String host, int port, String path, Secret token, List<Param> params) {
        this.mode = mode;
        this.secure = secure;
        this.host = host;
        this.port = port;
        this.path = path;
        this.token = token;
        this.params = List.copyOf(params);
    }

    /**
     * A client's URL. {@code firezoneId} is the persistent device id, sent as its SHA-256;
     * {@code publicKey} is the base64 WireGuard key of this session.
     */
    public static LoginUrl forClient(URI apiUrl, Secret token, String firezoneId, String name, DeviceInfo device, String publicKey) {
        var params = new ArrayList<Param>();
        params.add(new Param("external_id", sha256Hex(firezoneId)));
        params.add(new Param("name", requireText(name, "name")));
        device.deviceSerial().ifPresent(v -> params.add(new Param("device_serial", v)));
        device.deviceUuid().ifPresent(v -> params.add(new Param("device_uuid", v)));
        device.identifierForVendor().ifPresent(v -> params.add(new Param("identifier_for_vendor", v)));
        device.firebaseInstallationId().ifPresent(v -> params.add(new Param("firebase_installation_id", v)));
        params.add(new Param(PUBLIC_KEY, requireText(publicKey, "public key")));
        return build(Mode.CLIENT, apiUrl, token, params);
    }

    /** A gateway's URL, built like a client's but without device information. */
    public static LoginUrl forGateway(URI apiUrl, Secret token, String firezoneId, String name, String publicKey) {
        var params = new ArrayList<Param>();
        params.add(new Param("external_id", sha256Hex(firezoneId)));
        params.add(new Param("name", requireText(name, "name")));
        params.add(new Param(PUBLIC_KEY, requireText(publicKey, "public key")));
        return build(Mode.GATEWAY, apiUrl, token, params);
    }

    /** A relay's URL; at least one public address is required, the name is optional. */
    public static LoginUrl forRelay(URI apiUrl, Secret token, Optional<String> name,
                                    Optional<Inet4Address> ipv4, Optional<Inet6Address> ipv6, int turnPort) {
        if (ipv4.isEmpty() && ipv6.isEmpty()) {
            throw new IllegalArgumentException("a relay needs a public IPv4 or IPv6 address");
        }
        if (turnPort < 1 || turnPort > 65535) {
            throw new IllegalArgumentException("the TURN port must be in 1..65535, got " + turnPort);
        }
        var params = new ArrayList<Param>();
        name.ifPresent(n -> params.add(new Param("name", n)));
        ipv4.ifPresent(a -> params.add(new Param("ipv4", a.getHostAddress())));
        ipv6.ifPresent(a -> params.add(new Param("ipv6", textual(a))));
        params.add(new Param("port", Integer.toString(turnPort)));
        return build(Mode.RELAY, apiUrl, token, params);
    }

    /** The same URL with a new WireGuard public key, after a client or gateway reset. */
    public LoginUrl withPublicKey(String publicKey) {
        if (mode == Mode.RELAY) {
            throw new IllegalStateException("a relay's URL carries no public key");
        }
        var changed = new ArrayList<>(params.subList(0, params.size() - 1));
        changed.add(new Param(PUBLIC_KEY, requireText(publicKey, "public key")));
        return new LoginUrl(mode, secure, host, port, path, token, changed);
    }

    public Mode mode() {
        return mode;
    }

    /** The portal's host name, for DNS, the Host header and TLS server name indication. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean secure() {
        return secure;
    }

    /** The token, for the driver that scrubs it from error texts. */
    Secret token() {
        return token;
    }

    /** The full URL with the token: for the socket, never for a log line. */
    public URI expose() {
        return URI.create(render(token.expose()));
    }

    /** The URL with the token replaced by {@code REDACTED}: for logs and messages. */
    public String redacted() {
        return render("REDACTED");
    }

    @Override
    public String toString() {
        return redacted();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoginUrl that
                && mode == that.mode && secure == that.secure && port == that.port
                && host.equals(that.host) && path.equals(that.path)
                && params.equals(that.params) && token.equals(that.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, secure, host, port, path, params);
    }

    private String render(String tokenText) {
        var url = new StringBuilder(secure ? "wss://" : "ws://");
        url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append(path);
        url.append("?token=").append(formEncode(tokenText));
        for (Param param : params) {
            url.append('&').append(param.name()).append('=').append(formEncode(param.value()));
        }
        return url.toString();
    }

    private static LoginUrl build(Mode mode, URI apiUrl, Secret token, List<Param> params) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the portal token is empty");
        }
        String scheme = apiUrl.getScheme() == null ? "" : apiUrl.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "https", "wss" -> true;
            case "http", "ws" -> false;
            default -> throw new IllegalArgumentException("the portal URL must use http, https, ws or wss, got '" + scheme + "'");
        };
        String host = apiUrl.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the portal URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // Port 80 for ws:// on purpose: the reference connects to 443 whenever the port is the default.
        int port = apiUrl.getPort() != -1 ? apiUrl.getPort() : secure ? 443 : 80;
        String basePath = apiUrl.getRawPath() == null ? "" : apiUrl.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        return new LoginUrl(mode, secure, host, port, basePath + "/" + mode.topic() + "/websocket", token, params);
    }

    private static String formEncode(String value) {
        // URLEncoder implements application/x-www-form-urlencoded: space as '+', all but A-Za-z0-9*-._ escaped.
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String textual(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return compressIpv6(scope < 0 ? text : text.substring(0, scope));
    }

    /** Java prints IPv6 without "::" compression; the portal stores the canonical short form. */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int start = i;
            while (i < groups.length && groups[i].equals("0")) {
                i++;
            }
            if (i - start > bestLength && i - start > 1) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is missing");
        }
        return value;
    }

    private static String sha256Hex(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requireText(id, "device id").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", impossible);
        }
    }
}
