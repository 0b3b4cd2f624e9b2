package dev.zonewire.wireguard.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.Errno;
import dev.zonewire.platform.linux.ErrnoException;
import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.PacketBatch;
import dev.zonewire.platform.linux.TunDevice;
import dev.zonewire.platform.linux.TunOptions;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.wireguard.Transmit;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardEvent;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WireGuard network interface in userspace: a TUN device, UDP sockets, the sans-IO
 * {@link WireGuardTunnel} between them, cryptokey routing, and the UAPI socket through which
 * wg(8) shows and changes it.
 *
 * <p>Threads: one reads the TUN device, routes each packet to a peer by its destination, seals
 * it and sends the datagrams, packed for UDP segmentation offload; one per address family
 * receives datagrams (with GRO), opens them, checks each packet's source against the sender's
 * allowed IPs and writes them to the TUN device, whose offload merges TCP segments; one runs the
 * tunnel's timers. The tunnel is not thread-safe, so each thread holds one lock while it feeds a
 * whole batch through it; it reads the (immutable) routing table under that lock too, so that no
 * packet goes to a peer removed meanwhile. Nothing on the packet path allocates except what the
 * JDK cipher does per packet.
 *
 * <p>The device stops when {@link #close()} is called, when its interface is deleted
 * ({@code ip link del}), when its UAPI socket file is removed (as wireguard-go does), or when a
 * packet thread fails; {@link #awaitStop()} returns then.
 */
public final class WireGuardDevice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WireGuardDevice.class);
    private static final int TUN_BATCH = 128;
    private static final int RECEIVE_SLOTS = 16;
    private static final int OUTBOX_SLOTS = 16;
    private static final long TIMER_MAXIMUM_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DeviceOptions options;
    private final TunDevice tun;
    private final DeviceState state;
    private final WireGuardTunnel tunnel;
    private final ReentrantLock lock = new ReentrantLock();
    private final DeviceCounters counters = new DeviceCounters();
    private final Outbox controlOutbox;
    private volatile UdpBinding binding;
    private final Object bindingChanged = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile String stopReason;
    private volatile boolean running = true;
    private boolean closed;
    private volatile UapiServer uapi;
    private Thread timerThread;

    private WireGuardDevice(DeviceOptions options, TunDevice tun, UdpBinding binding) {
        this.options = options;
        this.tun = tun;
        this.binding = binding;
        this.tunnel = new WireGuardTunnel(options.privateKey(), TunnelSettings.DEFAULTS.withMtu(options.mtu()),
                new SecureRandom(), Instant.now(), System.nanoTime());
        this.state = new DeviceState(tunnel, this::rebind, binding.port, options.firewallMark());
        this.controlOutbox = new Outbox(4, false, () -> this.binding, counters);
    }

    /**
     * Creates the TUN interface (down, without addresses: see {@link WgQuick} for the rest), binds
     * the UDP port, opens the UAPI socket and starts the packet threads.
     *
     * @throws IOException naming what failed, e.g. {@code "create or attach TUN interface wg0
     *     (TUNSETIFF): Operation not permitted (EPERM)"}, {@code "bind UDP socket to
     *     0.0.0.0:51820: Address already in use (EADDRINUSE)"} or {@code "interface wg0 is
     *     already running: /var/run/wireguard/wg0.sock answers"}
     */
    public static WireGuardDevice start(DeviceOptions options) throws IOException {
        UapiServer.checkNotRunning(options.socketDirectory(), options.interfaceName());
        TunOptions tunOptions = TunOptions.named(options.interfaceName()).withOffload(options.offload());
        TunDevice tun = options.namespace() == null ? TunDevice.open(tunOptions)
                : NetworkNamespace.call(options.namespace(), () -> TunDevice.open(tunOptions));
        UdpBinding binding;
        try {
            binding = UdpBinding.open(options.listenPort(), options.firewallMark(), options.offload(), options.namespace());
        } catch (IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
        WireGuardDevice device = new WireGuardDevice(options, tun, binding);
        device.startThreads();
        try {
            device.uapi = UapiServer.start(options.socketDirectory(), options.interfaceName(), device::locked);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
        log.info("Interface {} is running: UDP port {}, MTU {}, offload {}", options.interfaceName(), binding.port,
                options.mtu(), options.offload());
        return device;
    }

    public String interfaceName() {
        return tun.name();
    }

    /** The interface index, for routes and addresses. */
    public int interfaceIndex() {
        return tun.index();
    }

    public int listenPort() {
        return locked(DeviceState::listenPort);
    }

    public DeviceOptions options() {
        return options;
    }

    /** The firewall mark of the UDP sockets, 0 for none. */
    public int firewallMark() {
        return locked(DeviceState::firewallMark);
    }

    /** Re-binds the UDP sockets with a new firewall mark, as {@code wg set fwmark} does. */
    public void setFirewallMark(int mark) throws IOException {
        lock.lock();
        try {
            state.setFirewallMark(mark);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the whole configuration but the interface itself, as {@code wg setconf} does: the
     * private key, port and mark, and every peer. Peers whose key stays keep their sessions.
     */
    public void configure(DeviceConfig config) throws IOException {
        lock.lock();
        try {
            if (!running) {
                throw new IOException("interface " + options.interfaceName() + " is stopped: " + stopReason);
            }
            apply(config, state);
        } finally {
            state.publish();
            sendQueued();
            lock.unlock();
        }
    }

    /** Counters of what the interface dropped and moved. */
    public DeviceStats stats() {
        return locked(state -> new DeviceStats(counters.noRoute.sum(), counters.sourceNotAllowed.sum(),
                counters.tooLarge.sum(), counters.noSocket.sum(), counters.sendErrors.sum(),
                tunnel.drops().snapshot(), tun.stats()));
    }

    /** Waits until the device is asked to stop, and returns why. */
    public String awaitStop() throws InterruptedException {
        stopRequested.await();
        return stopReason;
    }

    /**
     * Stops the threads, removes the UAPI socket, closes the interface (it disappears) and erases
     * the keys. A second call waits for the first to finish.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        requestStop("closed");
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        lock.lock();
        try {
            for (WireGuardPeer peer : List.copyOf(tunnel.peers())) {
                tunnel.removePeer(peer.publicKey());
            }
            controlOutbox.close();
            binding.close(); // again: a re-bind may have raced with the stop
        } finally {
            lock.unlock();
        }
        if (uapi != null) {
            uapi.close();
        }
    }

    /**
     * Runs {@code action} on the device's state under its lock, then sends what the tunnel queued
     * meanwhile (a handshake or keepalive a configuration change started).
     */
    <T> T locked(Function<DeviceState, T> action) {
        lock.lock();
        try {
            T result = action.apply(state);
            sendQueued();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Sends what a configuration change queued in the tunnel; nothing once stopping (the sockets are closed). Under the lock. */
    private void sendQueued() {
        if (running) {
            drainTunnel(controlOutbox);
            controlOutbox.flush();
        }
    }

    private static void apply(DeviceConfig config, DeviceState state) throws IOException {
        state.setPrivateKey(config.privateKey());
        if (config.firewallMark() != null) {
            state.setFirewallMark(config.firewallMark());
        }
        if (config.listenPort() != null) {
            state.setListenPort(config.listenPort());
        }
        long now = System.nanoTime();
        Set<WireGuardPeer> keep = new HashSet<>();
        for (DeviceConfig.Peer wanted : config.peers()) {
            WireGuardPeer peer = state.peer(wanted.publicKey());
            if (peer == null) {
                peer = state.addPeer(wanted.publicKey(), now);
            }
            if (peer == null) {
                continue;
            }
            keep.add(peer);
            peer.setPresharedKey(wanted.presharedKey());
            if (wanted.endpoint() != null) {
                peer.setEndpoint(wanted.endpoint());
            }
            state.removeAllowedIps(peer);
            for (IpPrefix prefix : wanted.allowedIps()) {
                state.addAllowedIp(peer, prefix);
            }
            peer.setPersistentKeepalive(wanted.persistentKeepalive(), now);
        }
        for (WireGuardPeer peer : List.copyOf(state.tunnel().peers())) {
            if (!keep.contains(peer)) {
                state.removePeer(peer);
            }
        }
    }

    // ---- Threads --------------------------------------------------------------------------------

    private void startThreads() {
        String name = options.interfaceName();
        threads.add(packetThread(name + "-tun", this::tunToUdp));
        threads.add(packetThread(name + "-udp4", () -> udpToTun(true)));
        threads.add(packetThread(name + "-udp6", () -> udpToTun(false)));
        timerThread = packetThread(name + "-timers", this::runTimers);
        threads.add(timerThread);
    }

    private interface PacketLoop {
        void run() throws IOException;
    }

    /** A platform thread (its FFM calls block), which stops the whole device if it fails. */
    private Thread packetThread(String name, PacketLoop loop) {
        return Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                loop.run();
            } catch (ClosedChannelException e) {
                // closed by requestStop
            } catch (ErrnoException e) {
                requestStop(e.errno() == Errno.EBADFD ? "its interface was deleted" : e.getMessage());
            } catch (IOException | RuntimeException | Error e) {
                log.error("Thread {} failed; stopping interface {}", name, options.interfaceName(), e);
                requestStop("thread " + name + " failed: " + e);
            }
        });
    }

    /** TUN to UDP: route each packet by destination, seal it, send the batch. */
    private void tunToUdp() throws IOException {
        int mtu = options.mtu();
        byte[] work = new byte[WireGuardTunnel.HEADROOM + mtu + WireGuardTunnel.TAILROOM];
        ByteBuffer buffer = ByteBuffer.wrap(work);
        try (PacketBatch packets = PacketBatch.allocate(TUN_BATCH, mtu);
                Outbox outbox = new Outbox(OUTBOX_SLOTS, options.offload(), () -> binding, counters)) {
            while (running) {
                int count = tun.read(packets);
                lock.lock();
                try {
                    AllowedIps<WireGuardPeer> routes = state.allowedIps();
                    long now = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        int length = packets.length(i);
                        MemorySegment.copy(packets.slot(i), JAVA_BYTE, 0, work, WireGuardTunnel.HEADROOM, length);
                        WireGuardPeer peer = routes.forDestination(work, WireGuardTunnel.HEADROOM, length);
                        if (peer == null) {
                            counters.noRoute.increment();
                            continue;
                        }
                        buffer.limit(WireGuardTunnel.HEADROOM + length).position(WireGuardTunnel.HEADROOM);
                        if (tunnel.encapsulate(peer, buffer, now)) {
                            outbox.add(peer.endpoint(), work, buffer.position(), buffer.remaining());
                        }
                    }
                    drainTunnel(outbox);
                } finally {
                    lock.unlock();
                }
                outbox.flush();
            }
        }
    }

    /** UDP to TUN: open each datagram, check its source against the sender's allowed IPs, write the batch. */
    private void udpToTun(boolean ipv4) throws IOException {
        byte[] work = new byte[WireGuardTunnel.MAX_DATAGRAM_LENGTH];
        ByteBuffer buffer = ByteBuffer.wrap(work);
        SenderCache senders = new SenderCache();
        try (DatagramBatch datagrams = DatagramBatch.allocate(RECEIVE_SLOTS, 65535);
                PacketBatch packets = PacketBatch.allocate(RECEIVE_SLOTS * UdpSocket.MAX_GSO_SEGMENTS, options.mtu());
                Outbox outbox = new Outbox(4, false, () -> binding, counters)) {
            while (running) {
                UdpSocket socket = awaitSocket(ipv4);
                if (socket == null) {
                    return;
                }
                int slots;
                try {
                    slots = socket.receive(datagrams);
                } catch (ClosedChannelException e) {
                    continue; // re-bound, or stopping: the loop condition tells
                }
                int count = 0;
                lock.lock();
                try {
                    AllowedIps<WireGuardPeer> routes = state.allowedIps();
                    long now = System.nanoTime();
                    for (int slot = 0; slot < slots; slot++) {
                        InetSocketAddress from = senders.sender(datagrams, slot);
                        MemorySegment data = datagrams.slot(slot);
                        int length = datagrams.length(slot);
                        int segment = datagrams.segmentSize(slot);
                        for (int offset = 0; offset < length; offset += segment) {
                            int size = Math.min(segment, length - offset);
                            MemorySegment.copy(data, JAVA_BYTE, offset, work, 0, size);
                            buffer.limit(size).position(0);
                            WireGuardPeer peer = tunnel.decapsulate(buffer, from, now);
                            if (peer == null) {
                                continue;
                            }
                            if (routes.forSource(work, buffer.position(), buffer.remaining()) != peer) {
                                counters.sourceNotAllowed.increment();
                                continue;
                            }
                            if (buffer.remaining() > packets.slotSize()) {
                                counters.tooLarge.increment();
                                continue;
                            }
                            MemorySegment.copy(work, buffer.position(), packets.slot(count), JAVA_BYTE, 0,
                                    buffer.remaining());
                            packets.setLength(count++, buffer.remaining());
                            if (count == packets.capacity()) {
                                count = writeToTun(packets, count);
                            }
                        }
                    }
                    drainTunnel(outbox);
                } finally {
                    lock.unlock();
                }
                writeToTun(packets, count);
                outbox.flush();
            }
        }
    }

    /** Writes the first {@code count} packets of the batch to the TUN device; returns 0, the new count. */
    private int writeToTun(PacketBatch packets, int count) throws IOException {
        packets.setSize(count);
        if (count > 0) {
            tun.write(packets);
        }
        return 0;
    }

    /** The socket of one family; waits while there is none (after a failed re-bind); null when stopping. */
    private UdpSocket awaitSocket(boolean ipv4) {
        synchronized (bindingChanged) {
            while (running) {
                UdpBinding current = binding;
                UdpSocket socket = ipv4 ? current.ipv4 : current.ipv6;
                if (socket != null && socket.isOpen()) {
                    return socket;
                }
                try {
                    bindingChanged.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }
    }

    /**
     * Fires the tunnel's timers when due. It wakes at least once a second: every deadline another
     * thread arms (keepalives, retries, rekeys) lies at least a second ahead, so none is missed,
     * and that is also when it checks that the UAPI socket file still exists and hangs up on UAPI
     * clients stalled in a set.
     */
    private void runTimers() {
        long nextSocketCheck = System.nanoTime();
        try (Outbox outbox = new Outbox(4, false, () -> binding, counters)) {
            while (running) {
                long now = System.nanoTime();
                long next;
                lock.lock();
                try {
                    long due = tunnel.pollTimeout();
                    if (due != Long.MAX_VALUE && now - due >= 0) {
                        tunnel.handleTimeout(now);
                    }
                    drainTunnel(outbox);
                    next = tunnel.pollTimeout();
                } finally {
                    lock.unlock();
                }
                outbox.flush();
                if (now - nextSocketCheck >= 0 && uapi != null) {
                    nextSocketCheck = now + TIMER_MAXIMUM_SLEEP_NANOS;
                    if (!uapi.socketExists()) {
                        requestStop("its UAPI socket was removed");
                        return;
                    }
                    uapi.closeStalledClients(now);
                }
                long sleep = next == Long.MAX_VALUE ? TIMER_MAXIMUM_SLEEP_NANOS
                        : Math.clamp(next - System.nanoTime(), 0, TIMER_MAXIMUM_SLEEP_NANOS);
                LockSupport.parkNanos(sleep);
            }
        }
    }

    /** Moves the tunnel's queued datagrams to {@code outbox} and logs its events. Under the lock. */
    private void drainTunnel(Outbox outbox) {
        Transmit transmit;
        while ((transmit = tunnel.pollTransmit()) != null) {
            outbox.add(transmit.destination(), transmit.datagram(), 0, transmit.datagram().length);
        }
        WireGuardEvent event;
        while ((event = tunnel.pollEvent()) != null) {
            switch (event) {
                case WireGuardEvent.HandshakeCompleted e -> log.debug("Handshake with peer {} completed", e.peer());
                case WireGuardEvent.HandshakeAbandoned e ->
                        log.debug("Peer {} did not answer handshakes for 90 s; its queued packets were dropped", e.peer());
                case WireGuardEvent.SessionsCleared e -> log.debug("Keys of peer {} erased after 9 minutes without a handshake", e.peer());
            }
        }
    }

    // ---- Binding and stopping -------------------------------------------------------------------

    /**
     * Re-opens the sockets for a new port or mark (under the lock, from a configuration change). If
     * the new ones cannot be opened the old settings are restored where possible, and the error
     * is thrown.
     */
    private int rebind(int port, int firewallMark) throws IOException {
        if (!running) {
            // close() has closed, or is about to close, the sockets: new ones would never be.
            throw new IOException("interface " + options.interfaceName() + " is stopping");
        }
        UdpBinding old = binding;
        boolean samePort = port != 0 && port == old.port;
        if (samePort) {
            // A packet thread may still be inside a call on the old sockets; the port is free once it returns.
            try {
                old.closeAndAwaitRelease();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while re-binding port " + port);
            }
        }
        UdpBinding fresh;
        try {
            fresh = UdpBinding.open(port, firewallMark, options.offload(), options.namespace());
        } catch (IOException e) {
            if (samePort) {
                setBinding(reopenOrNone(old.port, state.firewallMark()));
            }
            throw e;
        }
        setBinding(fresh);
        if (!samePort) {
            old.close();
        }
        log.info("Interface {} now listens on UDP port {} (firewall mark {})", options.interfaceName(), fresh.port,
                firewallMark);
        return fresh.port;
    }

    private UdpBinding reopenOrNone(int port, int firewallMark) {
        try {
            return UdpBinding.open(port, firewallMark, options.offload(), options.namespace());
        } catch (IOException e) {
            log.error("Interface {} has no UDP socket: re-opening port {} failed: {}", options.interfaceName(), port,
                    e.getMessage());
            return UdpBinding.NONE;
        }
    }

    private void setBinding(UdpBinding fresh) {
        synchronized (bindingChanged) {
            binding = fresh;
            bindingChanged.notifyAll();
        }
    }

    /** Asks every thread to stop: the first reason is kept. Safe from any thread, any number of times. */
    private void requestStop(String reason) {
        synchronized (bindingChanged) {
            if (!running) {
                return;
            }
            running = false;
            stopReason = reason;
            bindingChanged.notifyAll();
        }
        log.info("Interface {} is stopping: {}", options.interfaceName(), reason);
        if (uapi != null) {
            uapi.stopListening();
        }
        tun.close();
        binding.close();
        if (timerThread != null) {
            LockSupport.unpark(timerThread);
        }
        stopRequested.countDown();
    }

    @Override
    public String toString() {
        return "WireGuardDevice[" + options.interfaceName() + "]";
    }
}
