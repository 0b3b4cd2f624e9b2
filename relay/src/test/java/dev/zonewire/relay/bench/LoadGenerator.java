package dev.zonewire.relay.bench;

import dev.zonewire.common.Secret;
import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpPoller;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.relay.peers.RelayedChannel;
import dev.zonewire.stun.ChannelData;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load: a number of TURN allocations on one relay, each with channel 0x4000
 * bound to a peer socket of its own ({@link RelayedChannel}). One thread sends {@code burst}
 * datagrams per client per {@code sendmmsg}, round-robin over the clients (or, the other way,
 * over the peers), as fast as the kernel takes them; another thread counts what arrives at the
 * far end. Batched sending lets
 * one generator thread offer more datagrams than either relay can relay, which the benchmark
 * shows as drops at the relay's full socket buffer. Datagrams leave one by one (no GSO), so both
 * relays receive exactly the same thing.
 */
final class LoadGenerator implements AutoCloseable {
    static final int PAYLOAD = 100;

    private final List<RelayedChannel> channels;
    private final DatagramBatch[] toPeer;
    private final DatagramBatch[] toClient;
    private final AtomicLong received = new AtomicLong();
    private volatile boolean counting;
    private Thread counter;

    private LoadGenerator(List<RelayedChannel> channels, DatagramBatch[] toPeer, DatagramBatch[] toClient) {
        this.channels = channels;
        this.toPeer = toPeer;
        this.toClient = toClient;
    }

    /** Makes {@code count} allocations with a channel each on the relay at {@code server}. */
    static LoadGenerator connect(InetSocketAddress server, String username, Secret password, int count, int burst)
            throws IOException {
        List<RelayedChannel> channels = new ArrayList<>();
        DatagramBatch[] toPeer = new DatagramBatch[count];
        DatagramBatch[] toClient = new DatagramBatch[count];
        for (int i = 0; i < count; i++) {
            RelayedChannel channel = RelayedChannel.open(server, username, password, 0x4000);
            channels.add(channel);
            toPeer[i] = batch(burst, ChannelData.encode(channel.number(), new byte[PAYLOAD], false), server);
            toClient[i] = batch(burst, new byte[PAYLOAD], channel.relayed());
        }
        return new LoadGenerator(channels, toPeer, toClient);
    }

    /** Starts counting datagrams that reach the peers ({@code toPeer}) or the clients. */
    void startCounting(boolean toPeer) throws IOException {
        List<UdpSocket> receivers = channels.stream().map(toPeer ? RelayedChannel::peer : RelayedChannel::client).toList();
        UdpPoller poller = UdpPoller.open(receivers.size());
        for (int i = 0; i < receivers.size(); i++) {
            poller.register(receivers.get(i), i);
        }
        counting = true;
        counter = Thread.ofPlatform().name("zw-rly-bench-counter").start(() -> count(poller, receivers));
    }

    void stopCounting() throws InterruptedException {
        counting = false;
        counter.join();
    }

    long received() {
        return received.get();
    }

    /** Sends for {@code duration} and returns how many datagrams the kernel took. */
    long send(boolean toPeer, Duration duration) throws IOException {
        List<UdpSocket> senders = channels.stream().map(toPeer ? RelayedChannel::client : RelayedChannel::peer).toList();
        DatagramBatch[] batches = toPeer ? this.toPeer : toClient;
        long sent = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < batches.length; i++) {
                sent += senders.get(i).send(batches[i]);
            }
        }
        return sent;
    }

    /**
     * Datagrams the kernel dropped because the receiving socket's buffer was full, summed over the
     * IPv4 sockets bound to {@code port} (from /proc/net/udp); 0 for a port below 1.
     */
    static long socketDrops(int port) throws IOException {
        if (port < 1) {
            return 0;
        }
        long drops = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            int localPort = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
            if (localPort == port) {
                drops += Long.parseLong(fields[fields.length - 1]);
            }
        }
        return drops;
    }

    @Override
    public void close() {
        channels.forEach(RelayedChannel::close);
        for (int i = 0; i < toPeer.length; i++) {
            toPeer[i].close();
            toClient[i].close();
        }
    }

    private void count(UdpPoller poller, List<UdpSocket> receivers) {
        try (poller; DatagramBatch batch = DatagramBatch.allocate(64, 2048)) {
            while (counting) {
                int ready = poller.await(50);
                for (int i = 0; i < ready; i++) {
                    UdpSocket socket = receivers.get(poller.token(i));
                    for (int slots = socket.receive(batch, 0); slots > 0; slots = socket.receive(batch, 0)) {
                        received.addAndGet(slots);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DatagramBatch batch(int burst, byte[] datagram, InetSocketAddress destination) {
        DatagramBatch batch = DatagramBatch.allocate(burst, datagram.length);
        for (int i = 0; i < burst; i++) {
            MemorySegment.copy(MemorySegment.ofArray(datagram), 0, batch.slot(i), 0, datagram.length);
            batch.setLength(i, datagram.length);
            batch.setRemote(i, destination);
        }
        batch.setSize(burst);
        return batch;
    }

}
