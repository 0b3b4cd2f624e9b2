package dev.zonewire.wireguard.linux.bench;

import dev.zonewire.wireguard.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf3 (one TCP stream) through WireGuard between two network namespaces joined by a veth pair,
 * for every pairing of implementations: zonewire to zonewire, zonewire to wireguard-go,
 * wireguard-go to zonewire and wireguard-go to wireguard-go. Each measurement starts from fresh
 * namespaces and processes; rounds interleave the pairings, so that load from the rest of the
 * machine spreads over all of them. Prints every run, then per pairing the median and range, and
 * the ratio of the zonewire and wireguard-go medians.
 *
 * <p>zonewire runs as users run it, {@code java -jar cli/target/zonewire.jar wg up -f FILE}, one
 * JVM per end; extra JVM flags come from {@code ZONEWIRE_BENCH_JAVA_OPTS} (e.g. JFR). wireguard-go
 * is the Debian package's, configured with {@code wg setconf}. Also reported: the CPU time (user +
 * system, from /proc) both WireGuard processes used per gigabyte carried. Needs root, iperf3,
 * wireguard-go and wireguard-tools; run it with {@code wireguard-linux/bench/wg-throughput.sh}.
 * Names start with {@code zw-wgu-b}.
 */
public final class WireGuardThroughputBenchmark {
    private static final String LEFT = "zw-wgu-bl";
    private static final String RIGHT = "zw-wgu-br";
    private static final String LEFT_INTERFACE = "zw-wgu-bwl";
    private static final String RIGHT_INTERFACE = "zw-wgu-bwr";
    private static final String LEFT_UNDERLAY = "192.168.78.1";
    private static final String RIGHT_UNDERLAY = "192.168.78.2";
    private static final String LEFT_TUNNEL = "10.98.0.1";
    private static final String RIGHT_TUNNEL = "10.98.0.2";
    private static final int PORT = 51820;
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*\"bytes\"\\s*:\\s*([0-9]+)[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
    private static final Pattern RETRANSMITS = Pattern.compile(
            "\"sum_sent\"\\s*:\\s*\\{[^}]*\"retransmits\"\\s*:\\s*([0-9]+)");
    private static final long CLOCK_TICKS = 100;

    private enum Implementation { ZONEWIRE, WIREGUARD_GO }

    private record Pairing(String name, Implementation sender, Implementation receiver) {
    }

    /** A measurement; CPU is what both WireGuard processes spent, in user and kernel mode, per gigabyte received. */
    private record Run(double megabits, long retransmits, double userSecondsPerGigabyte, double systemSecondsPerGigabyte) {
        double cpuSecondsPerGigabyte() {
            return userSecondsPerGigabyte + systemSecondsPerGigabyte;
        }
    }

    private final Path jar;
    private final Path work;
    private final int seconds;
    private final int warmUpSeconds;
    private final List<String> javaOptions;
    private final SecureRandom random = new SecureRandom();

    private WireGuardThroughputBenchmark(Path jar, Path work, int seconds, int warmUpSeconds, List<String> javaOptions) {
        this.jar = jar;
        this.work = work;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.javaOptions = javaOptions;
    }

    /**
     * Arguments: the zonewire jar, seconds per run (default 10), rounds (default 5), pairings to run
     * (default all: zz,zg,gz,gg), seconds of discarded warm-up traffic before each run (default 5).
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> only = args.length > 3 && !args[3].equals("all") ? List.of(args[3].split(",")) : List.of();
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String options = System.getenv().getOrDefault("ZONEWIRE_BENCH_JAVA_OPTS", "");
        Path work = Files.createTempDirectory("zw-wgu-bench");
        var benchmark = new WireGuardThroughputBenchmark(jar, work, seconds, warmUp,
                options.isBlank() ? List.of() : List.of(options.trim().split("\\s+")));
        List<Pairing> pairings = new ArrayList<>(List.of(
                new Pairing("zonewire -> zonewire", Implementation.ZONEWIRE, Implementation.ZONEWIRE),
                new Pairing("zonewire -> wireguard-go", Implementation.ZONEWIRE, Implementation.WIREGUARD_GO),
                new Pairing("wireguard-go -> zonewire", Implementation.WIREGUARD_GO, Implementation.ZONEWIRE),
                new Pairing("wireguard-go -> wireguard-go", Implementation.WIREGUARD_GO, Implementation.WIREGUARD_GO)));
        if (!only.isEmpty()) {
            pairings.removeIf(pairing -> only.stream().noneMatch(tag -> tag.equals(tag(pairing))));
        }
        Map<Pairing, List<Run>> results = new LinkedHashMap<>();
        pairings.forEach(pairing -> results.put(pairing, new ArrayList<>()));
        System.out.printf("iperf3 TCP, one stream, %d s per run after %d s of warm-up, %d rounds, load average %s%n", seconds,
                warmUp, rounds, loadAverage());
        for (int round = 1; round <= rounds; round++) {
            for (Pairing pairing : pairings) {
                Run run = benchmark.measure(pairing);
                results.get(pairing).add(run);
                System.out.printf(Locale.ROOT,
                        "round %d  %-30s %8.0f Mbit/s  %6d retransmits  %5.1f CPU-s/GB (%.1f user, %.1f system)  (load %s)%n",
                        round, pairing.name(), run.megabits(), run.retransmits(), run.cpuSecondsPerGigabyte(),
                        run.userSecondsPerGigabyte(), run.systemSecondsPerGigabyte(), loadAverage());
            }
        }
        System.out.println();
        System.out.printf("%-30s %10s %22s %28s%n", "pairing", "median", "range (Mbit/s)",
                "CPU-s/GB (user, system)");
        Map<String, Double> medians = new LinkedHashMap<>();
        results.forEach((pairing, runs) -> {
            double[] megabits = runs.stream().mapToDouble(Run::megabits).sorted().toArray();
            medians.put(tag(pairing), median(megabits));
            System.out.printf(Locale.ROOT, "%-30s %10.0f %10.0f - %-10.0f %10.1f (%.1f, %.1f)%n", pairing.name(),
                    median(megabits), megabits[0], megabits[megabits.length - 1],
                    median(runs.stream().mapToDouble(Run::cpuSecondsPerGigabyte).sorted().toArray()),
                    median(runs.stream().mapToDouble(Run::userSecondsPerGigabyte).sorted().toArray()),
                    median(runs.stream().mapToDouble(Run::systemSecondsPerGigabyte).sorted().toArray()));
        });
        if (medians.containsKey("zz") && medians.containsKey("gg")) {
            System.out.printf(Locale.ROOT, "%nzonewire<->zonewire / wireguard-go<->wireguard-go (medians): %.2f%n",
                    medians.get("zz") / medians.get("gg"));
        }
    }

    private static String tag(Pairing pairing) {
        return (pairing.sender() == Implementation.ZONEWIRE ? "z" : "g") + (pairing.receiver() == Implementation.ZONEWIRE ? "z" : "g");
    }

    private Run measure(Pairing pairing) throws Exception {
        run("ip", "netns", "add", LEFT);
        run("ip", "netns", "add", RIGHT);
        List<Process> processes = new ArrayList<>();
        try {
            run("ip", "link", "add", "zw-wgu-bvl", "netns", LEFT, "type", "veth", "peer", "name", "zw-wgu-bvr", "netns", RIGHT);
            run("ip", "-n", LEFT, "addr", "add", LEFT_UNDERLAY + "/24", "dev", "zw-wgu-bvl");
            run("ip", "-n", RIGHT, "addr", "add", RIGHT_UNDERLAY + "/24", "dev", "zw-wgu-bvr");
            for (String[] end : new String[][] {{LEFT, "zw-wgu-bvl"}, {RIGHT, "zw-wgu-bvr"}}) {
                run("ip", "-n", end[0], "link", "set", end[1], "up");
                run("ip", "-n", end[0], "link", "set", "lo", "up");
            }
            PrivateKey leftKey = PrivateKey.generate(random);
            PrivateKey rightKey = PrivateKey.generate(random);
            Process sender = start(pairing.sender(), LEFT, LEFT_INTERFACE, leftKey, rightKey, LEFT_TUNNEL, RIGHT_TUNNEL,
                    RIGHT_UNDERLAY);
            processes.add(sender);
            Process receiver = start(pairing.receiver(), RIGHT, RIGHT_INTERFACE, rightKey, leftKey, RIGHT_TUNNEL,
                    LEFT_TUNNEL, LEFT_UNDERLAY);
            processes.add(receiver);
            awaitTunnel();
            if (warmUpSeconds > 0) {
                iperf(warmUpSeconds, processes);
            }
            long[] cpuBefore = add(cpuTicks(sender), cpuTicks(receiver));
            String json = iperf(seconds, processes);
            long[] cpu = subtract(add(cpuTicks(sender), cpuTicks(receiver)), cpuBefore);
            Matcher received = RECEIVED.matcher(json);
            Matcher retransmits = RETRANSMITS.matcher(json);
            if (!received.find() || !retransmits.find()) {
                throw new IllegalStateException("no result in iperf3's output: " + json);
            }
            double gigabytes = Long.parseLong(received.group(1)) / 1e9;
            return new Run(Double.parseDouble(received.group(2)) / 1e6, Long.parseLong(retransmits.group(1)),
                    cpu[0] / (double) CLOCK_TICKS / gigabytes, cpu[1] / (double) CLOCK_TICKS / gigabytes);
        } finally {
            for (Process process : processes.reversed()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            run("ip", "netns", "del", LEFT);
            run("ip", "netns", "del", RIGHT);
        }
    }

    /** One iperf3 TCP stream from left to right for {@code duration} seconds; returns iperf3's JSON. */
    private static String iperf(int duration, List<Process> processes) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", RIGHT, "iperf3", "-s", "-1", "-B", RIGHT_TUNNEL)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(server);
        Thread.sleep(300);
        String json = run("ip", "netns", "exec", LEFT, "iperf3", "-c", RIGHT_TUNNEL, "-t", String.valueOf(duration), "-J");
        server.waitFor(5, TimeUnit.SECONDS);
        return json;
    }

    /** Starts one end: our interface from a wg-quick file, or wireguard-go configured by wg setconf and ip. */
    private Process start(Implementation implementation, String namespace, String name, PrivateKey key, PrivateKey peer,
            String address, String peerAddress, String peerUnderlay) throws Exception {
        String peerSection = """
                [Peer]
                PublicKey = %s
                AllowedIPs = %s/32
                Endpoint = %s:%d
                """.formatted(peer.publicKey().toBase64(), peerAddress, peerUnderlay, PORT);
        if (implementation == Implementation.ZONEWIRE) {
            Path file = work.resolve(name + ".conf");
            Files.writeString(file, """
                    [Interface]
                    PrivateKey = %s
                    ListenPort = %d
                    Address = %s/24
                    MTU = 1420

                    """.formatted(key.secret().exposeBase64(), PORT, address) + peerSection);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                    ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
            command.addAll(javaOptions.stream().map(option -> option.replace("%i", name)).toList());
            command.addAll(List.of("-jar", jar.toString(), "wg", "up", "-f", file.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve(name + ".log").toFile()).start();
            awaitSocket(name, process);
            return process;
        }
        Path file = work.resolve(name + ".wg");
        Files.writeString(file, """
                [Interface]
                PrivateKey = %s
                ListenPort = %d

                """.formatted(key.secret().exposeBase64(), PORT) + peerSection);
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace, "wireguard-go", "-f", name)
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        Process process = builder.start();
        awaitSocket(name, process);
        run("ip", "netns", "exec", namespace, "wg", "setconf", name, file.toString());
        run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", name);
        run("ip", "-n", namespace, "link", "set", name, "mtu", "1420", "up");
        return process;
    }

    private static void awaitSocket(String name, Process process) throws Exception {
        Path socket = Path.of("/var/run/wireguard", name + ".sock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start (exit " + (process.isAlive() ? "none" : process.exitValue())
                        + ")");
            }
            Thread.sleep(50);
        }
    }

    /** Pings through the tunnel until the handshake is done and the route works. */
    private static void awaitTunnel() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Process ping = new ProcessBuilder("ip", "netns", "exec", LEFT, "ping", "-c", "1", "-W", "1", RIGHT_TUNNEL)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (ping.waitFor() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no ping through the tunnel within 30 s");
            }
        }
    }

    /** User and system CPU time of a process so far, in clock ticks. */
    private static long[] cpuTicks(Process process) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    private static long[] add(long[] a, long[] b) {
        return new long[] {a[0] + b[0], a[1] + b[1]};
    }

    private static long[] subtract(long[] a, long[] b) {
        return new long[] {a[0] - b[0], a[1] - b[1]};
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
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
