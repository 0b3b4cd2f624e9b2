package dev.zonewire.snownet.sim;

import dev.zonewire.relay.Forward;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayServerConfig;
import dev.zonewire.relay.Transmit;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** A relay on the simulated network: the relay module's sans-IO server behind its listen and allocation ports. */
public final class SimRelay implements SimNetwork.Endpoint {
    public static final int LISTEN_PORT = 3478;

    public final String id;
    public final InetSocketAddress listen;
    private final RelayServer server;
    private final SimNetwork network;
    private final Instant wallClockAtStart;
    private final long start;
    public boolean alive = true;
    public long relayedDatagrams;

    public SimRelay(String id, Inet4Address ip, SimNetwork network, RandomGenerator random, Instant wallClockAtStart, long start) {
        this.id = id;
        this.listen = new InetSocketAddress(ip, LISTEN_PORT);
        this.network = network;
        this.wallClockAtStart = wallClockAtStart;
        this.start = start;
        this.server = new RelayServer(RelayServerConfig.of(ip, null), StampSecret.generate(random), random);
        network.attach(ip, this);
    }

    /** What the portal would give a node for this relay. */
    public Relay<String> credentialsFor(RandomGenerator random) {
        RelayCredentials.Issued issued = RelayCredentials.issue(server.stampSecret(), wallClockAtStart.plusSeconds(86_400), random);
        return new Relay<>(id, RelayAddresses.of(listen), new TurnCredentials(issued.username().toString(),
                issued.password(), TurnCredentials.FIREZONE_REALM));
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        if (!alive) {
            return;
        }
        ByteBuffer datagram = ByteBuffer.wrap(bytes);
        if (to.getPort() == LISTEN_PORT) {
            Forward forward = server.handleClientInput(datagram, from, now, unixMillis(now));
            if (forward != null) {
                relayedDatagrams++;
                byte[] payload = Arrays.copyOfRange(bytes, forward.payloadOffset(), forward.payloadOffset() + forward.payloadLength());
                network.send(new InetSocketAddress(listen.getAddress(), forward.sourcePort()), forward.destination(), payload, now);
            }
        } else {
            Forward forward = server.handlePeerInput(datagram, from, to.getPort(), now);
            if (forward != null) {
                relayedDatagrams++;
                byte[] payload = Arrays.copyOfRange(bytes, forward.payloadOffset(), forward.payloadOffset() + forward.payloadLength());
                network.send(listen, forward.destination(), ChannelData.encode(forward.channel(), payload, false), now);
            }
        }
        flush(now);
    }

    public long pollTimeout() {
        return alive ? server.pollTimeout() : Long.MAX_VALUE;
    }

    public void handleTimeout(long now) {
        server.handleTimeout(now);
        flush(now);
    }

    public int allocationCount() {
        return server.allocationCount();
    }

    public int boundChannelCount() {
        return server.boundChannelCount();
    }

    private void flush(long now) {
        while (server.pollEvent() != null) {
            // Allocation ports need no sockets here: every datagram to the relay's IP reaches receive().
        }
        for (Transmit transmit = server.pollTransmit(); transmit != null; transmit = server.pollTransmit()) {
            network.send(listen, transmit.destination(), transmit.payload(), now);
        }
    }

    private long unixMillis(long now) {
        return wallClockAtStart.toEpochMilli() + (now - start) / 1_000_000L;
    }
}
