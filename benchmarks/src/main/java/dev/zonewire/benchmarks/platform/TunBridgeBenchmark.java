package dev.zonewire.benchmarks.platform;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.PacketBatch;
import dev.zonewire.platform.linux.Route;
import dev.zonewire.platform.linux.Rtnetlink;
import dev.zonewire.platform.linux.TunDevice;
import dev.zonewire.platform.linux.TunOptions;
import dev.zonewire.platform.linux.TunStats;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast a TUN device moves TCP through this module, end to end: iperf3 (one TCP stream) from
 * one network namespace to another, where the only link is two TUN devices and a Java thread per
 * direction copying batches from one to the other: the data path of a tunnel without its
 * encryption. Runs a veth pair first as the kernel's own figure, then the TUN bridge without and
 * with offload. Needs root and iperf3; creates and deletes namespaces {@code zw-plt-bench-*}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.zonewire.benchmarks.platform.TunBridgeBenchmark [seconds]</pre>
 */
public final class TunBridgeBenchmark {
    private static final String LEFT = "zw-plt-bench-l";
    private static final String RIGHT = "zw-plt-bench-r";
    private static final String LEFT_ADDRESS = "10.82.0.1";
    private static final String RIGHT_ADDRESS = "10.82.0.2";
    private static final int MTU = 1420;
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private TunBridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-26s %12s  %s", "link", "Mbit/s", "packets per super-packet (read / written)"));
        lines.add(row("veth (kernel only)", withNamespaces(() -> veth(seconds)), null, null));
        for (boolean offload : new boolean[] {false, true}) {
            TunStats[] stats = new TunStats[2];
            double bits = withNamespaces(() -> tunBridge(seconds, offload, stats));
            lines.add(row("TUN bridge, offload " + (offload ? "on" : "off"), bits, stats[0], stats[1]));
        }
        lines.forEach(System.out::println);
    }

    private static String row(String link, double bitsPerSecond, TunStats sender, TunStats receiver) {
        String ratios = sender == null ? "" : String.format("%.1f / %.1f",
                ratio(sender.packetsRead(), sender.superPacketsRead()),
                ratio(receiver.packetsWritten(), receiver.superPacketsWritten()));
        return String.format("%-26s %12.0f  %s", link, bitsPerSecond / 1e6, ratios);
    }

    private static double ratio(long packets, long superPackets) {
        return superPackets == 0 ? 1 : (double) packets / superPackets;
    }

    private interface Measurement {
        double run() throws Exception;
    }

    private static double withNamespaces(Measurement measurement) throws Exception {
        run("ip", "netns", "add", LEFT);
        run("ip", "netns", "add", RIGHT);
        try {
            return measurement.run();
        } finally {
            run("ip", "netns", "del", LEFT);
            run("ip", "netns", "del", RIGHT);
        }
    }

    private static double veth(int seconds) throws Exception {
        run("ip", "link", "add", "zw-plt-bvl", "netns", LEFT, "type", "veth", "peer", "name", "zw-plt-bvr", "netns", RIGHT);
        run("ip", "-n", LEFT, "addr", "add", LEFT_ADDRESS + "/24", "dev", "zw-plt-bvl");
        run("ip", "-n", RIGHT, "addr", "add", RIGHT_ADDRESS + "/24", "dev", "zw-plt-bvr");
        for (String[] end : new String[][] {{LEFT, "zw-plt-bvl"}, {RIGHT, "zw-plt-bvr"}}) {
            run("ip", "-n", end[0], "link", "set", end[1], "mtu", String.valueOf(MTU), "up");
        }
        return iperf(seconds);
    }

    private static double tunBridge(int seconds, boolean offload, TunStats[] stats) throws Exception {
        try (TunDevice left = openTun(LEFT, "zw-plt-btl", offload, LEFT_ADDRESS, RIGHT_ADDRESS);
                TunDevice right = openTun(RIGHT, "zw-plt-btr", offload, RIGHT_ADDRESS, LEFT_ADDRESS)) {
            Thread leftToRight = forward(left, right);
            Thread rightToLeft = forward(right, left);
            double bits = iperf(seconds);
            stats[0] = left.stats();
            stats[1] = right.stats();
            left.close();
            right.close();
            leftToRight.join();
            rightToLeft.join();
            return bits;
        }
    }

    private static TunDevice openTun(String namespace, String name, boolean offload, String local, String remote)
            throws IOException {
        TunDevice tun = NetworkNamespace.call(namespace, () -> TunDevice.open(TunOptions.named(name).withOffload(offload)));
        try (Rtnetlink netlink = NetworkNamespace.call(namespace, Rtnetlink::open)) {
            netlink.setMtu(tun.index(), MTU);
            netlink.addAddress(tun.index(), IpPrefix.parse(local + "/32"));
            netlink.setUp(tun.index(), true);
            netlink.addRoute(Route.toInterface(IpPrefix.parse(remote + "/32"), tun.index()));
        }
        return tun;
    }

    private static Thread forward(TunDevice from, TunDevice to) {
        return Thread.ofPlatform().name("forward-" + from.name()).start(() -> {
            try (PacketBatch batch = PacketBatch.allocate(64, MTU)) {
                while (true) {
                    from.read(batch);
                    to.write(batch);
                }
            } catch (ClosedChannelException e) {
                // closed at the end of the measurement
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs one iperf3 TCP stream from left to right and returns the receiver's bits per second. */
    private static double iperf(int seconds) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", RIGHT, "iperf3", "-s", "-1", "-B", RIGHT_ADDRESS)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            String json = run("ip", "netns", "exec", LEFT, "iperf3", "-c", RIGHT_ADDRESS, "-t", String.valueOf(seconds),
                    "-J");
            Matcher received = RECEIVED.matcher(json);
            if (!received.find()) {
                throw new IllegalStateException("no result in iperf3's output: " + json);
            }
            return Double.parseDouble(received.group(1));
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
