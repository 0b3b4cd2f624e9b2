package dev.zonewire.relay.bench;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.peers.BlockingTurnClient;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Drives ChannelData through our relay and through coturn ({@code --relay-threads=1}) from the
 * same load generator in one run, and reports packets per second per core of relay CPU for each
 * (the relay's process CPU time from /proc, so the generator's own CPU does not count) and their
 * ratio, round by round: each round measures both relays back to back in both directions, so
 * that the machine's changing load affects both alike. Then it reports the heap per idle
 * allocation of our relay with 10 000 allocations held. Not a unit test: run it with
 * relay/bench/relay-vs-coturn.sh (see docs/perf.md).
 *
 * <p>Arguments: {@code [seconds per measurement] [rounds] [idle allocations] [burst] [allocations]}:
 * the burst is how many datagrams the generator hands the kernel per client per system call, the
 * allocations how many clients (each with its own peer) share the load.
 */
public final class RelayBenchmark {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress IDLE_CLIENTS = address("127.0.0.2");
    private static final int OUR_PORT = 34781;
    private static final int COTURN_PORT = 34782;
    private static final PrintStream out = System.out;

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int idleAllocations = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int burst = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int allocations = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        String classpath = System.getProperty("java.class.path");
        String secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        RelayCredentials.Issued credentials = RelayCredentials.issue(StampSecret.of(Secret.of(secret)),
                Instant.now().plus(Duration.ofHours(2)), new Random());

        try (Child ours = Child.start(List.of(javaBinary(), "-Xmx1g", "-XX:+UseParallelGC",
                     "--enable-native-access=ALL-UNNAMED", "-cp", classpath, RelayLauncher.class.getName(),
                     "127.0.0.1", Integer.toString(OUR_PORT), "50000", "61999", secret), "READY");
             Child coturn = Child.start(List.of("turnserver", "-n", "--relay-threads=1", "--listening-ip=127.0.0.1",
                     "--listening-port=" + COTURN_PORT, "--relay-ip=127.0.0.1", "--min-port=62000", "--max-port=62999",
                     "--lt-cred-mech", "--user=bench:bench", "--realm=bench", "--allow-loopback-peers", "--no-tls",
                     "--no-dtls", "--no-cli", "--no-tcp-relay", "--pidfile=/tmp/zw-rly-bench-turnserver.pid",
                     "--userdb=/tmp/zw-rly-bench-turndb", "--log-file=stdout", "--simple-log"), "Total General servers");
             LoadGenerator ourLoad = LoadGenerator.connect(new InetSocketAddress(LOOPBACK, OUR_PORT),
                     credentials.username().toString(), credentials.password(), allocations, burst);
             LoadGenerator coturnLoad = LoadGenerator.connect(new InetSocketAddress(LOOPBACK, COTURN_PORT),
                     "bench", Secret.of("bench"), allocations, burst)) {
            coturn.discardOutput();
            out.printf(Locale.ROOT, "%d allocations per relay, one channel each, %d-byte payloads, bursts of %d, %d s per measurement%n",
                    allocations, LoadGenerator.PAYLOAD, burst, duration.toSeconds());
            List<Double> ratios = new ArrayList<>();
            // Round 0 warms up the JIT compilers of our relay and of the generator; it is not counted.
            for (int round = 0; round <= rounds; round++) {
                for (boolean toPeer : new boolean[]{true, false}) {
                    Result zonewire = measure("zonewire", ours.pid, OUR_PORT, ourLoad, toPeer, duration);
                    Result turnserver = measure("coturn", coturn.pid, COTURN_PORT, coturnLoad, toPeer, duration);
                    double ratio = zonewire.packetsPerCoreSecond() / turnserver.packetsPerCoreSecond();
                    out.printf(Locale.ROOT, "round %d%s %s: ratio zonewire / coturn (packets per second per core) %.2f%n%n",
                            round, round == 0 ? " (warm-up)" : "", toPeer ? "client->peer" : "peer->client", ratio);
                    if (round > 0) {
                        ratios.add(ratio);
                    }
                }
            }
            out.printf(Locale.ROOT, "ratios: %s%n", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
            measureHeap(ours, credentials, idleAllocations);
        } finally {
            Files.deleteIfExists(Path.of("/tmp/zw-rly-bench-turnserver.pid"));
            Files.deleteIfExists(Path.of("/tmp/zw-rly-bench-turndb"));
        }
    }

    record Result(long sent, long received, double wallSeconds, double cpuSeconds, long socketDrops, double softirqSeconds) {
        double packetsPerCoreSecond() {
            return received / cpuSeconds;
        }
    }

    private static Result measure(String name, long pid, int listenPort, LoadGenerator load, boolean toPeer,
                                  Duration duration) throws Exception {
        load.startCounting(toPeer);
        Thread.sleep(200);
        long dropsBefore = LoadGenerator.socketDrops(toPeer ? listenPort : -1);
        long cpuBefore = cpuTicks(pid);
        long softirqBefore = softirqThreadTicks();
        long receivedBefore = load.received();
        long start = System.nanoTime();
        long sent = load.send(toPeer, duration);
        Thread.sleep(300);
        long received = load.received() - receivedBefore;
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuTicks(pid) - cpuBefore) / 100.0;
        double softirq = (softirqThreadTicks() - softirqBefore) / 100.0;
        long drops = LoadGenerator.socketDrops(toPeer ? listenPort : -1) - dropsBefore;
        load.stopCounting();
        Result result = new Result(sent, received, wall, cpu, drops, softirq);
        out.printf(Locale.ROOT, "%-8s %s: sent %,d, relayed %,d (%,.0f/s) using %.2f cores -> %,.0f packets/s per core; "
                        + "%,d dropped at full socket buffers; ksoftirqd %.2f cores%n",
                name, toPeer ? "client->peer" : "peer->client", sent, received, received / wall, cpu / wall,
                result.packetsPerCoreSecond(), drops, softirq / wall);
        return result;
    }

    /** Our relay's heap per allocation: heap after GC with {@code count} idle allocations, minus before. */
    private static void measureHeap(Child relay, RelayCredentials.Issued credentials, int count) throws Exception {
        long before = relay.heap();
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, OUR_PORT);
        List<BlockingTurnClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                // 127.0.0.2, so that no idle client reuses the 5-tuple of a load client's allocation.
                BlockingTurnClient client = new BlockingTurnClient(new InetSocketAddress(IDLE_CLIENTS, 0), server,
                        credentials.username().toString(), credentials.password());
                clients.add(client);
                var response = client.allocate();
                if (!BlockingTurnClient.isSuccess(response)) {
                    throw new IllegalStateException("allocation " + i + " failed with " + BlockingTurnClient.errorCode(response));
                }
            }
            Thread.sleep(1100);
            long after = relay.heap();
            out.printf(Locale.ROOT, "heap: %,d bytes before, %,d bytes with %,d idle allocations -> %,d bytes per allocation%n",
                    before, after, count, (after - before) / count);
        } finally {
            clients.forEach(BlockingTurnClient::close);
        }
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU ticks of the kernel's softirq threads: network processing the kernel defers there is
     * charged to no process, so it is shown beside the relays' own CPU time.
     */
    private static long softirqThreadTicks() throws IOException {
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(process.resolve("comm")).startsWith("ksoftirqd/")) {
                        ticks += cpuTicks(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return ticks;
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A server process under test, stopped by its own pid. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader output;
        final long pid;

        private Child(Process process) {
            this.process = process;
            this.output = new BufferedReader(new InputStreamReader(process.getInputStream()));
            this.pid = process.pid();
        }

        static Child start(List<String> command, String readyLine) throws IOException {
            Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
            for (String line = child.output.readLine(); line != null; line = child.output.readLine()) {
                if (line.contains(readyLine)) {
                    return child;
                }
            }
            throw new IOException(command.getFirst() + " ended before it was ready");
        }

        /** Keeps reading the child's output so that a chatty server never blocks on a full pipe. */
        void discardOutput() {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (output.readLine() != null) {
                        // discarded
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
        }

        long heap() throws IOException {
            process.getOutputStream().write("heap\n".getBytes());
            process.getOutputStream().flush();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("HEAP ")) {
                    return Long.parseLong(line.split(" ")[1]);
                }
            }
            throw new IOException("relay ended");
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
