package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A wg-quick configuration file: the {@code [Interface]} with its key, port, mark, addresses,
 * MTU and routing table, and its {@code [Peer]}s.
 *
 * @param listenPort null when the file leaves it to the kernel
 * @param firewallMark null when the file sets none
 * @param mtu null for the default, {@value DeviceOptions#DEFAULT_MTU}
 * @param table where AllowedIPs become routes
 */
public record WgQuickConfig(PrivateKey privateKey, Integer listenPort, Integer firewallMark, List<IpPrefix> addresses,
        Integer mtu, RouteTable table, List<DeviceConfig.Peer> peers) {
    public WgQuickConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(table, "table");
        addresses = List.copyOf(addresses);
        peers = List.copyOf(peers);
    }

    /**
     * The {@code Table} setting: {@code auto} (the default: routes in the main table),
     * {@code off} (no routes) or a table number ({@code main} is 254).
     */
    public record RouteTable(boolean routes, int number) {
        public static final RouteTable AUTO = new RouteTable(true, 0);
        public static final RouteTable OFF = new RouteTable(false, 0);

        public boolean isAuto() {
            return routes && number == 0;
        }
    }

    /**
     * Reads a file.
     *
     * @throws ConfigFileException naming the file and line of the first mistake, never a key
     */
    public static WgQuickConfig read(Path file) throws IOException, ConfigFileException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** Parses the text of a file; {@code name} names it in errors. */
    public static WgQuickConfig parse(String text, String name) throws ConfigFileException {
        return new WgQuickConfigParser(name).parse(text);
    }

    /** What {@code wg setconf} would get from this file. */
    public DeviceConfig deviceConfig() {
        return new DeviceConfig(privateKey, listenPort, firewallMark, peers);
    }
}
