package dev.zonewire.snownet.realnet;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.PacketBatch;
import dev.zonewire.platform.linux.TunDevice;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.snownet.NodeEvent;
import dev.zonewire.snownet.NodeRole;
import dev.zonewire.snownet.Transmit;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin real driver around a {@link Node}: one UDP socket (batched, with the local address of
 * every datagram) and one TUN device, each served by its own thread; the node itself is only ever
 * touched under one lock. The network thread also fires the node's timers. Every IP packet read
 * from the TUN device goes to one connection, {@link #route}. Events go to {@link #events} for
 * whoever plays the portal.
 */
final class NodeDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeDriver.class);
    private static final int BATCH = 64;
    private static final int SLOT = Node.MAX_DATAGRAM_PAYLOAD + 64;
    private static final int MAX_WAIT_MILLIS = 50;

    final String name;
    final Node<String, String> node;
    final BlockingQueue<NodeEvent<String>> events = new LinkedBlockingQueue<>();
    volatile String route;
    /** When (System.nanoTime) the last ConnectionEstablished came out of the node; 0 before. */
    volatile long establishedAt;
    private final UdpSocket socket;
    private final TunDevice tun;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread network;
    private final Thread tunnel;
    private volatile boolean running = true;

    private final DatagramBatch received = DatagramBatch.allocate(BATCH, SLOT);
    private final DatagramBatch networkSends = DatagramBatch.allocate(BATCH, SLOT);
    private final DatagramBatch controlSends = DatagramBatch.allocate(BATCH, SLOT);
    private final PacketBatch toTun = PacketBatch.allocate(BATCH, SLOT);
    private final PacketBatch fromTun = PacketBatch.allocate(BATCH, SLOT);
    private final DatagramBatch tunnelSends = DatagramBatch.allocate(BATCH, SLOT);
    private final ByteBuffer sealing = ByteBuffer.allocate(Node.HEADROOM + SLOT + Node.TAILROOM);

    NodeDriver(String name, NodeRole role, UdpSocket socket, TunDevice tun) {
        this.name = name;
        this.socket = socket;
        this.tun = tun;
        this.node = new Node<>(role, new SecureRandom(), Instant.now(), System.nanoTime());
        node.addLocalAddress(socket.localAddress(), System.nanoTime());
        this.network = Thread.ofPlatform().name("zw-snw-" + name + "-udp").start(this::networkLoop);
        this.tunnel = Thread.ofPlatform().name("zw-snw-" + name + "-tun").start(this::tunnelLoop);
    }

    InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Runs {@code action} on the node under its lock and sends whatever it produced. */
    <T> T withNode(Function<Node<String, String>, T> action) {
        lock.lock();
        try {
            T result = action.apply(node);
            collect(controlSends);
            sendAndReset(controlSends);
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void networkLoop() {
        try {
            while (running) {
                int wait;
                lock.lock();
                try {
                    long untilTimeout = node.pollTimeout() - System.nanoTime();
                    wait = (int) Math.clamp(untilTimeout / 1_000_000L, 0L, MAX_WAIT_MILLIS);
                } finally {
                    lock.unlock();
                }
                int count = socket.receive(received, wait);
                toTun.setSize(0);
                lock.lock();
                try {
                    long now = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        decapsulate(i, now);
                    }
                    if (node.pollTimeout() <= now) {
                        node.handleTimeout(now);
                    }
                    collect(networkSends);
                } finally {
                    lock.unlock();
                }
                sendAndReset(networkSends);
                if (toTun.size() > 0) {
                    tun.write(toTun);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.error("{}: network loop failed", name, e);
            }
        }
    }

    private void decapsulate(int slot, long now) {
        ByteBuffer datagram = received.buffer(slot);
        InetSocketAddress local = new InetSocketAddress(received.local(slot) != null ? received.local(slot)
                : socket.localAddress().getAddress(), socket.localAddress().getPort());
        if (node.decapsulate(local, received.remote(slot), datagram, now) instanceof Decapsulated.Packet<String>) {
            int index = toTun.size();
            if (index < toTun.capacity()) {
                MemorySegment.copy(MemorySegment.ofBuffer(datagram), 0, toTun.slot(index), 0, datagram.remaining());
                toTun.setLength(index, datagram.remaining());
                toTun.setSize(index + 1);
            }
        }
    }

    private void tunnelLoop() {
        try {
            while (running) {
                int count = tun.read(fromTun, MAX_WAIT_MILLIS);
                if (count == 0) {
                    continue;
                }
                lock.lock();
                try {
                    long now = System.nanoTime();
                    tunnelSends.setSize(0);
                    for (int i = 0; i < count; i++) {
                        encapsulate(i, now);
                    }
                    collect(tunnelSends);
                } finally {
                    lock.unlock();
                }
                sendAndReset(tunnelSends);
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.error("{}: TUN loop failed", name, e);
            }
        }
    }

    private void encapsulate(int slot, long now) {
        String connection = route;
        if (connection == null) {
            return;
        }
        int length = fromTun.length(slot);
        sealing.clear().position(Node.HEADROOM).limit(Node.HEADROOM + length);
        MemorySegment.copy(fromTun.slot(slot), 0, MemorySegment.ofBuffer(sealing), 0, length);
        if (node.encapsulate(connection, sealing, now) instanceof Encapsulated.Send send) {
            add(tunnelSends, send.source(), send.destination(), sealing);
        }
    }

    /** Moves the node's queued transmits and events out; the caller holds the lock. */
    private void collect(DatagramBatch batch) {
        for (Transmit transmit = node.pollTransmit(); transmit != null; transmit = node.pollTransmit()) {
            if (batch.size() == batch.capacity()) {
                sendAndReset(batch);
            }
            add(batch, transmit.source(), transmit.destination(), ByteBuffer.wrap(transmit.payload()));
        }
        for (NodeEvent<String> event = node.pollEvent(); event != null; event = node.pollEvent()) {
            if (event instanceof NodeEvent.ConnectionEstablished<String>) {
                establishedAt = System.nanoTime();
            }
            events.add(event);
        }
    }

    private static void add(DatagramBatch batch, InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload) {
        int index = batch.size();
        ByteBuffer slot = batch.buffer(index).clear();
        slot.put(payload.duplicate());
        batch.setLength(index, payload.remaining());
        batch.setRemote(index, destination);
        batch.setLocal(index, source == null ? null : source.getAddress());
        batch.setSize(index + 1);
    }

    private void sendAndReset(DatagramBatch batch) {
        if (batch.size() == 0) {
            return;
        }
        try {
            socket.send(batch);
        } catch (IOException e) {
            log.warn("{}: send failed: {}", name, e.getMessage());
        }
        batch.setSize(0);
    }

    @Override
    public void close() {
        running = false;
        try {
            network.join(1000);
            tunnel.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        tun.close();
        for (AutoCloseable batch : new AutoCloseable[] {received, networkSends, controlSends, toTun, fromTun, tunnelSends}) {
            try {
                batch.close();
            } catch (Exception ignored) {
                // native memory of a batch; nothing else to do
            }
        }
    }
}
