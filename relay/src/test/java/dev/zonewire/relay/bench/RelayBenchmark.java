package dev.zonewire.relay.bench;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.peers.BlockingTurnClient;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives ChannelData through our relay and through coturn ({@code --relay-threads=1}) with the
 * same load generator in one run, and reports packets per second per core of relay CPU for each
 * (the relay's process CPU time from /proc, so the generator's own CPU does not count), then
 * the heap per idle allocation of our relay with 10 000 allocations held. Not a unit test: run
 * it with relay/bench/relay-vs-coturn.sh (see docs/perf.md).
 */
public final class RelayBenchmark {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress IDLE_CLIENTS = address("127.0.0.2");
    private static final int CLIENTS = 8;
    private static final int PAYLOAD = 100;
    private static final PrintStream out = System.out;

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int allocations = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String classpath = System.getProperty("java.class.path");
        String secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

        Result ours;
        try (Child relay = Child.start(List.of(javaBinary(), "-Xmx1g", "-XX:+UseParallelGC", "-cp", classpath,
                RelayLauncher.class.getName(), "127.0.0.1", "34781", "50000", "61999", secret), "READY")) {
            RelayCredentials.Issued credentials = RelayCredentials.issue(StampSecret.of(Secret.of(secret)),
                    Instant.now().plus(Duration.ofHours(2)), new Random());
            ours = measure("zonewire", relay.pid, 34781, credentials.username().toString(), credentials.password(), duration);
            out.println();
            measureHeap(relay, credentials, allocations);
        }
        Result coturn;
        try (Child turnserver = Child.start(List.of("turnserver", "-n", "--relay-threads=1", "--listening-ip=127.0.0.1",
                "--listening-port=34782", "--relay-ip=127.0.0.1", "--min-port=62000", "--max-port=62999",
                "--lt-cred-mech", "--user=bench:bench", "--realm=bench", "--allow-loopback-peers", "--no-tls", "--no-dtls",
                "--no-cli", "--no-tcp-relay", "--pidfile=/tmp/zw-rly-bench-turnserver.pid", "--userdb=/tmp/zw-rly-bench-turndb",
                "--log-file=stdout", "--simple-log"), "Total General servers")) {
            turnserver.discardOutput();
            coturn = measure("coturn", turnserver.pid, 34782, "bench", Secret.of("bench"), duration);
        } finally {
            Files.deleteIfExists(Path.of("/tmp/zw-rly-bench-turnserver.pid"));
            Files.deleteIfExists(Path.of("/tmp/zw-rly-bench-turndb"));
        }
        out.println();
        out.printf(Locale.ROOT, "ratio (zonewire / coturn, packets per second per core): %.2f%n",
                ours.packetsPerCoreSecond() / coturn.packetsPerCoreSecond());
    }

    record Result(long received, double wallSeconds, double cpuSeconds) {
        double packetsPerCoreSecond() {
            return received / cpuSeconds;
        }
    }

    /**
     * CLIENTS allocations, each with a channel to its own peer socket; one thread sends
     * ChannelData round-robin as fast as the socket takes it, one thread counts what the peers get.
     */
    private static Result measure(String name, long pid, int port, String username, Secret password, Duration duration)
            throws Exception {
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, port);
        List<BlockingTurnClient> clients = new ArrayList<>();
        List<DatagramChannel> peers = new ArrayList<>();
        List<DatagramChannel> senders = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                peer.configureBlocking(false);
                peers.add(peer);
                BlockingTurnClient client = new BlockingTurnClient(new InetSocketAddress(LOOPBACK, 0), server, username, password);
                clients.add(client);
                require(BlockingTurnClient.isSuccess(client.allocate()), name + " allocate");
                require(BlockingTurnClient.isSuccess(client.bindChannel(0x4000, (InetSocketAddress) peer.getLocalAddress())),
                        name + " channel bind");
            }
            for (BlockingTurnClient client : clients) {
                DatagramChannel sender = DatagramChannel.open();
                InetSocketAddress local = client.localAddress();
                client.close();
                sender.bind(local);
                sender.connect(server);
                senders.add(sender);
            }
            AtomicLong received = new AtomicLong();
            Thread counter = Thread.ofPlatform().start(() -> count(peers, received));
            Thread.sleep(200);
            long cpuBefore = cpuTicks(pid);
            long receivedBefore = received.get();
            long start = System.nanoTime();
            send(senders, duration);
            Thread.sleep(300);
            long receivedAfter = received.get();
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (cpuTicks(pid) - cpuBefore) / 100.0;
            counter.interrupt();
            counter.join();
            Result result = new Result(receivedAfter - receivedBefore, wall, cpu);
            out.printf(Locale.ROOT, "%-9s relayed %,d packets in %.1f s = %,.0f packets/s using %.2f cores -> %,.0f packets/s per core%n",
                    name, result.received(), wall, result.received() / wall, cpu / wall, result.packetsPerCoreSecond());
            return result;
        } finally {
            for (DatagramChannel channel : senders) {
                channel.close();
            }
            for (DatagramChannel channel : peers) {
                channel.close();
            }
            clients.forEach(BlockingTurnClient::close);
        }
    }

    private static void send(List<DatagramChannel> senders, Duration duration) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(ChannelData.encode(0x4000, new byte[PAYLOAD], false));
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int burst = 0; burst < 64; burst++) {
                for (DatagramChannel sender : senders) {
                    frame.rewind();
                    sender.write(frame);
                }
            }
        }
    }

    private static void count(List<DatagramChannel> peers, AtomicLong received) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        try (var selector = java.nio.channels.Selector.open()) {
            for (DatagramChannel peer : peers) {
                peer.register(selector, java.nio.channels.SelectionKey.OP_READ);
            }
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(key -> {
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    try {
                        while (channel.receive(buffer.clear()) != null) {
                            received.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, 100);
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // The benchmark is over.
        }
    }

    /** Our relay's heap per allocation: heap after GC with {@code count} idle allocations, minus before. */
    private static void measureHeap(Child relay, RelayCredentials.Issued credentials, int count) throws Exception {
        long before = relay.heap();
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, 34781);
        List<BlockingTurnClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                // 127.0.0.2, so that no idle client reuses the 5-tuple of a load client's allocation.
                BlockingTurnClient client = new BlockingTurnClient(new InetSocketAddress(IDLE_CLIENTS, 0), server,
                        credentials.username().toString(), credentials.password());
                clients.add(client);
                var response = client.allocate();
                require(BlockingTurnClient.isSuccess(response), "allocation " + i + " (error " + BlockingTurnClient.errorCode(response) + ")");
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

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what + " failed");
        }
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
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
