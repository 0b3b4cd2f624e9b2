package dev.zonewire.snownet.sim;

import dev.zonewire.common.Secret;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** A relay on the simulated network: its sans-IO server behind a listen port and allocation ports. */
final class SimRelay implements SimNetwork.Endpoint {
    final String id;
    final InetSocketAddress listen;
    private final StandInRelay server;
    private final SimNetwork network;
    private final Instant wallClockAtStart;
    private final long start;
    boolean alive = true;
    long relayedDatagrams;

    SimRelay(String id, Inet4Address ip, SimNetwork network, RandomGenerator random, Instant wallClockAtStart, long start) {
        this.id = id;
        this.listen = new InetSocketAddress(ip, StandInRelay.LISTEN_PORT);
        this.network = network;
        this.wallClockAtStart = wallClockAtStart;
        this.start = start;
        this.server = new StandInRelay(ip, null, StampSecret.generate(random), random);
        network.attach(ip, this);
    }

    /** What the portal would give a node for this relay. */
    Relay<String> credentialsFor(RandomGenerator random) {
        RelayCredentials.Issued issued = RelayCredentials.issue(server.stampSecret(), wallClockAtStart.plusSeconds(86_400), random);
        return new Relay<>(id, RelayAddresses.of(listen), new TurnCredentials(issued.username().toString(),
                Secret.of(issued.password().expose()), TurnCredentials.FIREZONE_REALM));
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        if (!alive) {
            return;
        }
        ByteBuffer datagram = ByteBuffer.wrap(bytes);
        StandInRelay.Forward forward = to.getPort() == StandInRelay.LISTEN_PORT
                ? server.handleClientInput(datagram, from, now, unixMillis(now))
                : server.handlePeerInput(datagram, from, to.getPort(), now);
        if (forward != null) {
            relayedDatagrams++;
            int sourcePort = forward.sourcePort() == 0 ? StandInRelay.LISTEN_PORT : forward.sourcePort();
            network.send(new InetSocketAddress(listen.getAddress(), sourcePort), forward.destination(), forward.payload(), now);
        }
        flush(now);
    }

    long pollTimeout() {
        return alive ? server.pollTimeout() : Long.MAX_VALUE;
    }

    void handleTimeout(long now) {
        server.handleTimeout(now);
        flush(now);
    }

    int allocationCount() {
        return server.allocationCount();
    }

    private void flush(long now) {
        for (StandInRelay.Transmit transmit = server.pollTransmit(); transmit != null; transmit = server.pollTransmit()) {
            network.send(listen, transmit.destination(), transmit.payload(), now);
        }
        while (server.pollEvent() != null) {
            // Allocation ports need no sockets here: every datagram to the relay's IP reaches receive().
        }
    }

    private long unixMillis(long now) {
        return wallClockAtStart.toEpochMilli() + (now - start) / 1_000_000L;
    }
}
