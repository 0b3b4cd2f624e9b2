package dev.zonewire.wireguard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A wireguard-go interface in a network namespace of its own, reached from the host over a veth
 * pair: our sans-IO tunnel, driven by a plain UDP socket on the host side, talks to it as a peer.
 * Every name starts with {@code zw-wg-}; {@link #close()} kills the wireguard-go process it started
 * and deletes the namespace, which takes the veth pair and the tunnel device with it. Needs root,
 * iproute2, wireguard-go and wireguard-tools.
 */
final class WireGuardGoNamespace implements AutoCloseable {
    static final int GO_PORT = 51820;

    final String namespace;
    final String goInterface;
    final InetAddress hostAddress;
    final InetSocketAddress goEndpoint;
    /** Inside the tunnel: the address wireguard-go's interface has, and the one it routes to us. */
    final InetAddress goTunnelAddress;
    final InetAddress ourTunnelAddress;
    final PrivateKey goKey;
    private final Path keyFile;
    private Process wireguardGo;

    WireGuardGoNamespace() throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        String suffix = HexFormat.of().toHexDigits((short) random.nextInt());
        int subnet = random.nextInt(256);
        namespace = "zw-wg-" + suffix;
        goInterface = "zw-wg-" + suffix + "g";
        String hostVeth = "zw-wg-" + suffix + "h";
        String namespaceVeth = "zw-wg-" + suffix + "n";
        hostAddress = InetAddress.getByName("10.231." + subnet + ".1");
        goEndpoint = new InetSocketAddress(InetAddress.getByName("10.231." + subnet + ".2"), GO_PORT);
        ourTunnelAddress = InetAddress.getByName("10.232." + subnet + ".1");
        goTunnelAddress = InetAddress.getByName("10.232." + subnet + ".2");
        goKey = PrivateKey.generate(random);
        keyFile = Files.createTempFile("zw-wg-key", ".txt");
        Files.writeString(keyFile, goKey.secret().exposeBase64());
        try {
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", namespaceVeth, "netns", namespace);
            run("ip", "addr", "add", hostAddress.getHostAddress() + "/30", "dev", hostVeth);
            run("ip", "link", "set", hostVeth, "up");
            inNamespace("ip", "addr", "add", goEndpoint.getAddress().getHostAddress() + "/30", "dev", namespaceVeth);
            inNamespace("ip", "link", "set", namespaceVeth, "up");
            inNamespace("ip", "link", "set", "lo", "up");
            startWireGuardGo();
            inNamespace("wg", "set", goInterface, "private-key", keyFile.toString(), "listen-port", String.valueOf(GO_PORT));
            inNamespace("ip", "addr", "add", goTunnelAddress.getHostAddress() + "/24", "dev", goInterface);
            inNamespace("ip", "link", "set", goInterface, "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Makes us wireguard-go's only peer, routed {@link #ourTunnelAddress}, at {@code ourEndpoint}. */
    void setPeer(PublicKey ourKey, PresharedKey presharedKey, InetSocketAddress ourEndpoint)
            throws IOException, InterruptedException {
        for (String line : inNamespace("wg", "show", goInterface, "peers").lines().toList()) {
            inNamespace("wg", "set", goInterface, "peer", line.strip(), "remove");
        }
        Path pskFile = Files.createTempFile("zw-wg-psk", ".txt");
        try {
            Files.writeString(pskFile, presharedKey.secret().exposeBase64());
            inNamespace("wg", "set", goInterface, "peer", ourKey.toBase64(), "preshared-key", pskFile.toString(),
                    "allowed-ips", ourTunnelAddress.getHostAddress() + "/32",
                    "endpoint", ourEndpoint.getAddress().getHostAddress() + ":" + ourEndpoint.getPort());
        } finally {
            Files.deleteIfExists(pskFile);
        }
    }

    /** {@code wg show <interface> dump}'s line for a peer: key, psk, endpoint, ips, handshake, rx, tx, keepalive. */
    String[] peerDump(PublicKey peer) throws IOException, InterruptedException {
        for (String line : inNamespace("wg", "show", goInterface, "dump").lines().skip(1).toList()) {
            String[] fields = line.split("\t");
            if (fields[0].equals(peer.toBase64())) {
                return fields;
            }
        }
        throw new AssertionError("wireguard-go does not list peer " + peer);
    }

    /** Starts {@code ping} inside the namespace; the caller waits for it. */
    Process ping(InetAddress target, int count) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", namespace, "ping", "-c", String.valueOf(count), "-i", "0.2",
                "-W", "5", target.getHostAddress()).redirectErrorStream(true).start();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (wireguardGo != null) {
            wireguardGo.destroy();
            if (!wireguardGo.waitFor(5, TimeUnit.SECONDS)) {
                wireguardGo.destroyForcibly().waitFor();
            }
        }
        new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true).start().waitFor();
        Files.deleteIfExists(keyFile);
    }

    private void startWireGuardGo() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace, "wireguard-go", "-f", goInterface);
        builder.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        wireguardGo = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!wireguardGo.isAlive()) {
                throw new IllegalStateException("wireguard-go exited with " + wireguardGo.exitValue());
            }
            if (Files.exists(Path.of("/var/run/wireguard", goInterface + ".sock"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("wireguard-go did not create " + goInterface + " within 10 s");
    }

    String inNamespace(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
