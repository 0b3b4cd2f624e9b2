package dev.zonewire.relay.driver;

import dev.zonewire.relay.DropReason;
import dev.zonewire.relay.Forward;
import dev.zonewire.relay.RelayEvent;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayStats;
import dev.zonewire.relay.Transmit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The relay's single IO thread: receives from the listen and allocation sockets, feeds the
 * {@link RelayServer}, relays what it says, opens and closes allocation sockets, fires timers.
 * It makes no protocol decisions and logs nothing per packet.
 */
public final class RelayEventLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RelayEventLoop.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STATS_PUBLISH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STATS_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RelayServer server;
    private final UdpSockets sockets;
    private final AllocationSockets allocations;
    private final int listenIpv4;
    private final int listenIpv6;
    private final UdpSockets.Receiver receiver = this::onDatagram;
    private volatile boolean drainRequested;
    private volatile boolean stopRequested;
    private volatile RelayStats latestStats;
    private volatile long lastTickNanos;
    private long lastPublish;
    private long lastLog;
    private long lastLoggedBytes;

    /**
     * @param bindIp4 where IPv4 allocation sockets bind, or null
     * @param bindIp6 where IPv6 allocation sockets bind, or null
     * @param listenIpv4 the listen socket for IPv4 clients, or -1
     * @param listenIpv6 the listen socket for IPv6 clients, or -1
     */
    public RelayEventLoop(RelayServer server, UdpSockets sockets, InetAddress bindIp4, InetAddress bindIp6,
                          int listenIpv4, int listenIpv6) {
        this.server = server;
        this.sockets = sockets;
        this.allocations = new AllocationSockets(sockets, bindIp4, bindIp6);
        this.listenIpv4 = listenIpv4;
        this.listenIpv6 = listenIpv6;
        this.latestStats = server.stats();
        this.lastTickNanos = System.nanoTime();
    }

    @Override
    public void run() {
        boolean draining = false;
        while (!stopRequested) {
            long now = System.nanoTime();
            lastTickNanos = now;
            if (drainRequested && !draining) {
                draining = true;
                server.stopAcceptingAllocations();
                log.info("Draining: no new allocations; {} existing ones keep relaying until they end", server.allocationCount());
            }
            if (draining && server.allocationCount() == 0) {
                log.info("Drained: no allocations left");
                break;
            }
            long deadline = server.pollTimeout();
            long wait = deadline == Long.MAX_VALUE ? MAX_WAIT_NANOS : Math.clamp(deadline - now, 0, MAX_WAIT_NANOS);
            try {
                sockets.poll(wait, receiver);
            } catch (IOException | RuntimeException e) {
                log.warn("Receiving failed, continuing: {}", e.toString());
            }
            now = System.nanoTime();
            server.handleTimeout(now);
            drainServer(now);
            sockets.flush();
            server.countDrops(DropReason.SEND_FAILED, sockets.takeSendFailures());
            publishStats(now);
        }
        latestStats = server.stats();
    }

    /** First stop request: refuse new allocations and end once the existing ones are gone. */
    public void requestDrain() {
        drainRequested = true;
        sockets.wakeup();
    }

    /** Ends the loop at once. */
    public void requestStop() {
        stopRequested = true;
        sockets.wakeup();
    }

    /** The counters as of at most a second ago; safe to read from any thread. */
    public RelayStats stats() {
        return latestStats;
    }

    /** When the loop last went round, for health checks. */
    public long lastTickNanos() {
        return lastTickNanos;
    }

    private void onDatagram(int socket, ByteBuffer datagram, InetSocketAddress source) {
        long now = System.nanoTime();
        if (socket == listenIpv4 || socket == listenIpv6) {
            if (drainRequested && server.isAcceptingAllocations()) {
                server.stopAcceptingAllocations();
            }
            Forward forward = server.handleClientInput(datagram, source, now, System.currentTimeMillis());
            if (forward != null) {
                relayToPeer(datagram, forward);
            }
            drainServer(now);
            return;
        }
        int port = allocations.portOf(socket);
        Forward forward = server.handlePeerInput(datagram, source, port, now);
        if (forward != null) {
            relayToClient(datagram, forward);
        }
    }

    private void relayToPeer(ByteBuffer datagram, Forward forward) {
        byte[] peer = forward.destinationAddress();
        int socket = allocations.socketFor(forward.sourcePort(), peer.length);
        if (socket < 0) {
            server.countDrops(DropReason.SEND_FAILED, 1);
            return;
        }
        datagram.limit(forward.payloadOffset() + forward.payloadLength()).position(forward.payloadOffset());
        sockets.send(socket, peer, forward.destinationPort(), datagram);
    }

    private void relayToClient(ByteBuffer datagram, Forward forward) {
        byte[] client = forward.destinationAddress();
        int channelDataHeader = forward.channel() << 16 | forward.payloadLength();
        sockets.send(listenSocketFor(client.length), client, forward.destinationPort(), channelDataHeader, datagram);
    }

    private int listenSocketFor(int addressLength) {
        return addressLength == 4 ? listenIpv4 : listenIpv6;
    }

    /** Opens and closes allocation sockets, then queues the STUN responses, as the server asks. */
    private void drainServer(long now) {
        for (RelayEvent event = server.pollEvent(); event != null; event = server.pollEvent()) {
            switch (event) {
                case RelayEvent.AllocationCreated created -> {
                    try {
                        allocations.open(created.port(), created.family());
                    } catch (IOException | RuntimeException e) {
                        log.warn("Cannot open allocation port {} ({}): {}", created.port(), created.family(), e.toString());
                        server.handleAllocationFailed(created.port(), created.family(), now);
                    }
                }
                case RelayEvent.AllocationFreed freed -> allocations.close(freed.port(), freed.family());
            }
        }
        for (Transmit transmit = server.pollTransmit(); transmit != null; transmit = server.pollTransmit()) {
            byte[] client = transmit.destination().getAddress().getAddress();
            sockets.send(listenSocketFor(client.length), client, transmit.destination().getPort(),
                    ByteBuffer.wrap(transmit.payload()));
        }
    }

    private void publishStats(long now) {
        if (now - lastPublish < STATS_PUBLISH_NANOS) {
            return;
        }
        lastPublish = now;
        RelayStats stats = server.stats();
        latestStats = stats;
        if (now - lastLog >= STATS_LOG_NANOS) {
            long bytes = stats.clientToPeerBytes() + stats.peerToClientBytes();
            double seconds = lastLog == 0 ? 1 : (now - lastLog) / 1e9;
            log.info("Allocations = {} Channels = {} Throughput = {}", stats.allocations(), stats.boundChannels(),
                    Throughput.format((bytes - lastLoggedBytes) / seconds));
            lastLog = now;
            lastLoggedBytes = bytes;
        }
    }
}
