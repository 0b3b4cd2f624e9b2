package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads wg-quick's file format as wg(8) and wg-quick(8) do: sections {@code [Interface]} and
 * {@code [Peer]}, {@code Key = Value} lines with case-insensitive keys, {@code #} comments,
 * whitespace inside values ignored, list values separated by commas (and repeatable lines), the
 * last value winning for the others. wg-quick's hooks and DNS are refused rather than ignored,
 * since ignoring them would silently change what the file asks for.
 */
final class WgQuickConfigParser {
    private static final List<String> UNSUPPORTED = List.of("dns", "preup", "postup", "predown", "postdown");
    /** What a key name looks like; anything else left of an {@code =} may be a pasted key and is never repeated. */
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z]{1,24}");

    private final String file;
    private int line;
    private Section section = Section.NONE;
    private int interfaceLine;
    private PrivateKey privateKey;
    private Integer listenPort;
    private Integer firewallMark;
    private Integer mtu;
    private WgQuickConfig.RouteTable table = WgQuickConfig.RouteTable.AUTO;
    private final List<IpPrefix> addresses = new ArrayList<>();
    private final List<PeerSection> peers = new ArrayList<>();

    private enum Section { NONE, INTERFACE, PEER }

    WgQuickConfigParser(String file) {
        this.file = file;
    }

    WgQuickConfig parse(String text) throws ConfigFileException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String content = withoutComment(lines[i]).strip();
            if (content.isEmpty()) {
                continue;
            }
            if (content.startsWith("[")) {
                startSection(content);
                continue;
            }
            int equals = content.indexOf('=');
            if (equals < 0) {
                throw error("expected \"Key = Value\" or a [Section]");
            }
            String key = content.substring(0, equals).strip();
            String value = content.substring(equals + 1).replaceAll("\\s+", "");
            switch (section) {
                case NONE -> throw error((isKeyName(key) ? key : "this line") + " is outside of any [Interface] or [Peer] section");
                case INTERFACE -> interfaceKey(key, value);
                case PEER -> peers.getLast().key(key, value);
            }
        }
        return finish();
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private void startSection(String header) throws ConfigFileException {
        if (!header.endsWith("]")) {
            throw error("a section header must end with ']'");
        }
        String name = header.substring(1, header.length() - 1).strip().toLowerCase(Locale.ROOT);
        switch (name) {
            case "interface" -> {
                if (interfaceLine != 0) {
                    throw error("a second [Interface] section (the first is on line " + interfaceLine + ")");
                }
                interfaceLine = line;
                section = Section.INTERFACE;
            }
            case "peer" -> {
                peers.add(new PeerSection(line));
                section = Section.PEER;
            }
            default -> throw error("unknown section " + Addresses.quote(header) + "; expected [Interface] or [Peer]");
        }
    }

    private void interfaceKey(String key, String value) throws ConfigFileException {
        String lower = key.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "privatekey" -> privateKey = parseKey(key, () -> PrivateKey.fromBase64(value));
            case "listenport" -> listenPort = (int) number(key, value, 0xffff);
            case "fwmark" -> firewallMark = value.equalsIgnoreCase("off") ? 0 : (int) number(key, value, 0xffff_ffffL);
            case "address" -> {
                for (String item : list(value)) {
                    addresses.add(prefix(key, item.contains("/") ? item : withFullLength(item)));
                }
            }
            case "mtu" -> {
                long parsed = number(key, value, 65455);
                if (parsed < 576) {
                    throw error("MTU must be 576 to 65455, got " + parsed);
                }
                mtu = (int) parsed;
            }
            case "table" -> table = table(key, value);
            case "saveconfig" -> {
                if (!value.equalsIgnoreCase("false")) {
                    throw error("SaveConfig = true is not supported: zonewire wg up never writes the file");
                }
            }
            default -> {
                if (UNSUPPORTED.contains(lower)) {
                    throw error(key + " is a wg-quick feature that zonewire wg up does not support; remove the line "
                            + "and configure it separately");
                }
                throw unknownKey(key, "[Interface]");
            }
        }
    }

    private WgQuickConfig finish() throws ConfigFileException {
        if (interfaceLine == 0) {
            throw new ConfigFileException(file, 0, "there is no [Interface] section");
        }
        if (privateKey == null) {
            throw new ConfigFileException(file, interfaceLine, "[Interface] has no PrivateKey");
        }
        Map<PublicKey, Integer> seen = new HashMap<>();
        List<DeviceConfig.Peer> result = new ArrayList<>();
        for (PeerSection peer : peers) {
            if (peer.publicKey == null) {
                throw new ConfigFileException(file, peer.line, "[Peer] has no PublicKey");
            }
            Integer earlier = seen.putIfAbsent(peer.publicKey, peer.line);
            if (earlier != null) {
                throw new ConfigFileException(file, peer.line, "this [Peer] has the same PublicKey as the one on line "
                        + earlier);
            }
            result.add(new DeviceConfig.Peer(peer.publicKey, peer.presharedKey, peer.endpoint, peer.allowedIps,
                    peer.persistentKeepalive));
        }
        return new WgQuickConfig(privateKey, listenPort, firewallMark, addresses, mtu, table, result);
    }

    /** The lines of one {@code [Peer]} section. */
    private final class PeerSection {
        final int line;
        PublicKey publicKey;
        PresharedKey presharedKey;
        InetSocketAddress endpoint;
        final List<IpPrefix> allowedIps = new ArrayList<>();
        Duration persistentKeepalive;

        PeerSection(int line) {
            this.line = line;
        }

        void key(String key, String value) throws ConfigFileException {
            switch (key.toLowerCase(Locale.ROOT)) {
                case "publickey" -> publicKey = parseKey(key, () -> PublicKey.fromBase64(value));
                case "presharedkey" -> presharedKey = parseKey(key, () -> PresharedKey.fromBase64(value));
                case "allowedips" -> {
                    for (String item : list(value)) {
                        allowedIps.add(prefix(key, item.contains("/") ? item : withFullLength(item)));
                    }
                }
                case "endpoint" -> endpoint = endpoint(key, value);
                case "persistentkeepalive" -> persistentKeepalive = Duration.ofSeconds(
                        value.equalsIgnoreCase("off") ? 0 : number(key, value, 0xffff));
                default -> throw unknownKey(key, "[Peer]");
            }
        }
    }

    private interface KeyParser<T> {
        T parse();
    }

    /** A key; the error is the key parser's, which never repeats the value. */
    private <T> T parseKey(String key, KeyParser<T> parser) throws ConfigFileException {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            throw error(key + ": " + e.getMessage());
        }
    }

    private long number(String key, String value, long max) throws ConfigFileException {
        try {
            if (value.startsWith("0x") || value.startsWith("0X")) {
                long parsed = Long.parseLong(value.substring(2), 16);
                if (parsed >= 0 && parsed <= max) {
                    return parsed;
                }
            } else {
                return Uapi.parseUnsigned(value, max);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw error(key + ": " + Addresses.quote(value) + " is not a number from 0 to " + max);
    }

    private static List<String> list(String value) {
        return List.of(value.split(",")).stream().filter(item -> !item.isEmpty()).toList();
    }

    private static String withFullLength(String address) {
        return address + (address.contains(":") ? "/128" : "/32");
    }

    private IpPrefix prefix(String key, String text) throws ConfigFileException {
        try {
            return Addresses.parsePrefix(text);
        } catch (IllegalArgumentException e) {
            throw error(key + ": " + e.getMessage());
        }
    }

    private WgQuickConfig.RouteTable table(String key, String value) throws ConfigFileException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> WgQuickConfig.RouteTable.AUTO;
            case "off" -> WgQuickConfig.RouteTable.OFF;
            case "main" -> new WgQuickConfig.RouteTable(true, 254);
            default -> {
                long number = number(key, value, 0xffff_ffffL);
                if (number == 0) {
                    throw error("Table: 0 is not a routing table");
                }
                yield new WgQuickConfig.RouteTable(true, (int) number);
            }
        };
    }

    /** {@code host:port} or {@code [v6]:port}; a host name is resolved now, as wg(8) does. */
    private InetSocketAddress endpoint(String key, String value) throws ConfigFileException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw error(key + ": " + Addresses.quote(value) + " is not host:port");
        }
        String host = value.substring(0, colon);
        String port = value.substring(colon + 1);
        long portNumber = number(key, port, 0xffff);
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                return Addresses.parseEndpoint(value);
            } catch (IllegalArgumentException e) {
                throw error(key + ": " + e.getMessage());
            }
        }
        if (host.contains(":")) {
            throw error(key + ": an IPv6 endpoint needs brackets: [address]:port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), (int) portNumber);
        } catch (UnknownHostException e) {
            throw error(key + ": cannot resolve " + Addresses.quote(host));
        }
    }

    private ConfigFileException unknownKey(String key, String section) {
        return isKeyName(key) ? error("unknown key " + Addresses.quote(key) + " in " + section)
                : error("a line in " + section + " whose key is not a key name (not repeated: it may hold a secret)");
    }

    private static boolean isKeyName(String key) {
        return KEY_NAME.matcher(key).matches();
    }

    private ConfigFileException error(String problem) {
        return new ConfigFileException(file, line, problem);
    }
}
