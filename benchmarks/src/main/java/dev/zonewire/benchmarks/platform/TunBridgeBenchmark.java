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
 * encryption. Runs a veth pair first as the kernel's own figure, then the TUN bridge without
 * offload, with offload on one side only (the sender's device, where super-packets are cut on
 * read; the receiver's, where segments are merged on write), and on both. Needs root and iperf3;
 * creates and deletes namespaces {@code zw-plt-bench-*}.
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
        lines.add(String.format("%-28s %8s %12s  %s", "link", "Mbit/s", "retransmits",
                "packets per super-packet (read / written)"));
        lines.add(row("veth (kernel only)", withNamespaces(() -> veth(seconds)), null, null));
        // Offload on the sending side cuts super-packets on read; on the receiving side it merges on write.
        String[] names = {"TUN bridge, no offload", "TUN, offload sender only", "TUN, offload receiver only",
                "TUN bridge, offload"};
        boolean[][] offloads = {{false, false}, {true, false}, {false, true}, {true, true}};
        for (int i = 0; i < names.length; i++) {
            boolean[] offload = offloads[i];
            TunStats[] stats = new TunStats[2];
            Result result = withNamespaces(() -> tunBridge(seconds, offload[0], offload[1], stats));
            lines.add(row(names[i], result, stats[0], stats[1]));
        }
        lines.forEach(System.out::println);
    }

    private static String row(String link, Result result, TunStats sender, TunStats receiver) {
        String ratios = sender == null ? "" : String.format("%.1f / %.1f",
                ratio(sender.packetsRead(), sender.superPacketsRead()),
                ratio(receiver.packetsWritten(), receiver.superPacketsWritten()));
        return String.format("%-28s %8.0f %12d  %s", link, result.bitsPerSecond() / 1e6, result.retransmits(), ratios);
    }

    /** What iperf3's receiver measured, and how many segments the sender's TCP retransmitted. */
    private record Result(double bitsPerSecond, long retransmits) {
    }

    private static double ratio(long packets, long superPackets) {
        return superPackets == 0 ? 1 : (double) packets / superPackets;
    }

    private interface Measurement {
        Result run() throws Exception;
    }

    private static Result withNamespaces(Measurement measurement) throws Exception {
        run("ip", "netns", "add", LEFT);
        run("ip", "netns", "add", RIGHT);
        try {
            return measurement.run();
        } finally {
            run("ip", "netns", "del", LEFT);
            run("ip", "netns", "del", RIGHT);
        }
    }

    private static Result veth(int seconds) throws Exception {
        run("ip", "link", "add", "zw-plt-bvl", "netns", LEFT, "type", "veth", "peer", "name", "zw-plt-bvr", "netns", RIGHT);
        run("ip", "-n", LEFT, "addr", "add", LEFT_ADDRESS + "/24", "dev", "zw-plt-bvl");
        run("ip", "-n", RIGHT, "addr", "add", RIGHT_ADDRESS + "/24", "dev", "zw-plt-bvr");
        for (String[] end : new String[][] {{LEFT, "zw-plt-bvl"}, {RIGHT, "zw-plt-bvr"}}) {
            run("ip", "-n", end[0], "link", "set", end[1], "mtu", String.valueOf(MTU), "up");
        }
        return iperf(seconds);
    }

    private static Result tunBridge(int seconds, boolean leftOffload, boolean rightOffload, TunStats[] stats)
            throws Exception {
        try (TunDevice left = openTun(LEFT, "zw-plt-btl", leftOffload, LEFT_ADDRESS, RIGHT_ADDRESS);
                TunDevice right = openTun(RIGHT, "zw-plt-btr", rightOffload, RIGHT_ADDRESS, LEFT_ADDRESS)) {
            Thread leftToRight = forward(left, right);
            Thread rightToLeft = forward(right, left);
            Result result = iperf(seconds);
            stats[0] = left.stats();
            stats[1] = right.stats();
            left.close();
            right.close();
            leftToRight.join();
            rightToLeft.join();
            return result;
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

    /** Runs one iperf3 TCP stream from left to right in the fresh namespaces. */
    private static Result iperf(int seconds) throws Exception {
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
            return new Result(Double.parseDouble(received.group(1)), retransmits());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The left namespace's TCP RetransSegs counter; the namespace is fresh, so it counts this run only. */
    private static long retransmits() throws Exception {
        String[] lines = run("ip", "netns", "exec", LEFT, "cat", "/proc/net/snmp").lines()
                .filter(line -> line.startsWith("Tcp:")).toArray(String[]::new);
        List<String> names = List.of(lines[0].split("\\s+"));
        return Long.parseLong(lines[1].split("\\s+")[names.indexOf("RetransSegs")]);
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
