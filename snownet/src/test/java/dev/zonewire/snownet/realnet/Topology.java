package dev.zonewire.snownet.realnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The namespaces of ../shared/spec/system-tests.md section 5, scaled to snownet: a WAN bridge
 * (198.51.100.0/24) joining two NAT routers, our relay and coturn; a client behind one router
 * (10.0.1.100) and a gateway behind the other (10.0.2.105). Every name starts with
 * {@code zw-snw-} (interfaces in the root namespace with {@code zwsnw}); {@link #close()} kills
 * the processes it started and deletes all of it, also after a failure.
 */
final class Topology implements AutoCloseable {
    static final String WAN = "zw-snw-wan";
    static final String CLIENT = "zw-snw-client";
    static final String CLIENT_NAT = "zw-snw-natc";
    static final String GATEWAY = "zw-snw-gw";
    static final String GATEWAY_NAT = "zw-snw-natg";
    static final String RELAY = "zw-snw-relay";
    static final String COTURN = "zw-snw-coturn";
    static final String CLIENT_IP = "10.0.1.100";
    static final String GATEWAY_IP = "10.0.2.105";
    static final String RELAY_IP = "198.51.100.101";
    static final String COTURN_IP = "198.51.100.102";

    /** How a router treats traffic between its LAN and the WAN. */
    enum NatMode {
        /** Port-preserving masquerade; unsolicited packets from the WAN are dropped (a "cone" with filtering). */
        CONE,
        /** Masquerade with a random port per destination: endpoint-dependent mapping. */
        SYMMETRIC
    }

    private final List<String> namespaces = List.of(WAN, CLIENT, CLIENT_NAT, GATEWAY, GATEWAY_NAT, RELAY, COTURN);
    private final List<Process> processes = new ArrayList<>();

    static Topology create() throws IOException {
        Topology topology = new Topology();
        try {
            topology.build();
        } catch (IOException | RuntimeException e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    private void build() throws IOException {
        for (String namespace : namespaces) {
            run("ip", "netns", "del", namespace).ignoreFailure();
            run("ip", "netns", "add", namespace).check();
            ns(namespace, "ip", "link", "set", "lo", "up").check();
        }
        ns(WAN, "ip", "link", "add", "br0", "type", "bridge").check();
        ns(WAN, "ip", "link", "set", "br0", "up").check();
        wanMember(CLIENT_NAT, "n1", "198.51.100.2");
        wanMember(GATEWAY_NAT, "n2", "198.51.100.3");
        wanMember(RELAY, "r1", RELAY_IP);
        wanMember(COTURN, "r2", COTURN_IP);
        lan(CLIENT_NAT, CLIENT, "c", "10.0.1.1", CLIENT_IP);
        lan(GATEWAY_NAT, GATEWAY, "g", "10.0.2.1", GATEWAY_IP);
    }

    private void wanMember(String namespace, String tag, String address) throws IOException {
        String inside = "zwsnw" + tag + "w";
        String bridgePort = "zwsnw" + tag + "b";
        run("ip", "link", "add", inside, "type", "veth", "peer", "name", bridgePort).check();
        run("ip", "link", "set", inside, "netns", namespace).check();
        run("ip", "link", "set", bridgePort, "netns", WAN).check();
        ns(WAN, "ip", "link", "set", bridgePort, "master", "br0", "up").check();
        ns(namespace, "ip", "link", "set", inside, "name", "wan0").check();
        ns(namespace, "ip", "addr", "add", address + "/24", "dev", "wan0").check();
        ns(namespace, "ip", "link", "set", "wan0", "up").check();
    }

    private void lan(String router, String host, String tag, String routerIp, String hostIp) throws IOException {
        String routerSide = "zwsnw" + tag + "r";
        String hostSide = "zwsnw" + tag + "h";
        run("ip", "link", "add", routerSide, "type", "veth", "peer", "name", hostSide).check();
        run("ip", "link", "set", routerSide, "netns", router).check();
        run("ip", "link", "set", hostSide, "netns", host).check();
        ns(router, "ip", "link", "set", routerSide, "name", "lan0").check();
        ns(router, "ip", "addr", "add", routerIp + "/24", "dev", "lan0").check();
        ns(router, "ip", "link", "set", "lan0", "up").check();
        ns(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").check();
        ns(host, "ip", "link", "set", hostSide, "name", "eth0").check();
        ns(host, "ip", "addr", "add", hostIp + "/24", "dev", "eth0").check();
        ns(host, "ip", "link", "set", "eth0", "up").check();
        ns(host, "ip", "route", "add", "default", "via", routerIp).check();
    }

    /** Puts the nftables NAT of system-tests.md section 5.4 on a router, replacing what was there. */
    void nat(String router, NatMode mode) throws IOException {
        String masquerade = mode == NatMode.SYMMETRIC ? "masquerade random" : "masquerade";
        String rules = """
                table ip zwsnw {
                  chain masq { type nat hook postrouting priority srcnat; oifname "wan0" %s; }
                  chain passing { type filter hook forward priority filter; policy drop;
                    iifname "lan0" accept; ct state established,related accept; }
                  chain arriving { type filter hook input priority filter; iifname "wan0" ct state new drop; }
                }
                """.formatted(masquerade);
        ns(router, "nft", "delete", "table", "ip", "zwsnw").ignoreFailure();
        Path file = Files.createTempFile("zw-snw-nft", ".conf");
        try {
            Files.writeString(file, rules);
            ns(router, "nft", "-f", file.toString()).check();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs a command in a namespace and waits for it. */
    Result ns(String namespace, String... command) throws IOException {
        return run(Stream.concat(Stream.of("ip", "netns", "exec", namespace), Stream.of(command)).toArray(String[]::new));
    }

    /** Starts a command in a namespace in the background; {@link #close()} kills it. */
    Process start(String namespace, Path log, String... command) throws IOException {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("ip", "netns", "exec", namespace), Stream.of(command)).toList())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    static Result run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return new Result(String.join(" ", command), process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    record Result(String command, int exitCode, String output) {
        Result check() throws IOException {
            if (exitCode != 0) {
                throw new IOException("`" + command + "` failed with " + exitCode + ": " + output.strip());
            }
            return this;
        }

        void ignoreFailure() {
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String namespace : namespaces) {
            try {
                run("ip", "netns", "del", namespace);
            } catch (IOException ignored) {
                // best effort: the next run deletes leftovers before it starts
            }
        }
    }
}
