package dev.zonewire.relay.peers;

import dev.zonewire.common.Secret;
import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An allocation with channel {@code number} bound to a peer, seen from two batching sockets: the
 * client's (bound to the address the allocation belongs to) and the peer's. Made with a
 * {@link BlockingTurnClient}, whose socket then makes way for the batching one.
 */
public record RelayedChannel(UdpSocket client, UdpSocket peer, InetSocketAddress server, InetSocketAddress relayed,
                             int number) implements AutoCloseable {

    /** On our relay, with credentials from its stamp secret. */
    public static RelayedChannel open(RelayDaemon relay, InetAddress loopback, int number) throws IOException {
        RelayCredentials.Issued credentials = RelayCredentials.issue(relay.stampSecret(),
                Instant.now().plus(Duration.ofHours(1)), new Random());
        return open(new InetSocketAddress(loopback, relay.listenPort()), credentials.username().toString(),
                credentials.password(), number);
    }

    /** On any TURN server, with a peer on the server's loopback address. */
    public static RelayedChannel open(InetSocketAddress server, String username, Secret password, int number)
            throws IOException {
        InetAddress loopback = server.getAddress();
        UdpSocket peer = UdpSocket.open(options(new InetSocketAddress(loopback, 0)));
        InetSocketAddress local;
        InetSocketAddress relayed;
        try (BlockingTurnClient turn = new BlockingTurnClient(new InetSocketAddress(loopback, 0), server, username, password)) {
            StunAttribute[] family = loopback instanceof Inet6Address
                    ? new StunAttribute[]{new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6)}
                    : new StunAttribute[0];
            StunMessage allocated = turn.allocate(family);
            if (!BlockingTurnClient.isSuccess(allocated)) {
                throw new IllegalStateException("allocate on " + server + " failed with " + BlockingTurnClient.errorCode(allocated));
            }
            relayed = BlockingTurnClient.relayedAddresses(allocated).getFirst();
            if (!BlockingTurnClient.isSuccess(turn.bindChannel(number, peer.localAddress()))) {
                throw new IllegalStateException("channel bind on " + server + " failed");
            }
            local = turn.localAddress();
        }
        return new RelayedChannel(UdpSocket.open(options(local)), peer, server, relayed, number);
    }

    /** Sends each datagram from {@code from} to {@code to}, in bursts of up to 64 per system call. */
    public static void sendAll(UdpSocket from, InetSocketAddress to, List<byte[]> datagrams) throws IOException {
        try (DatagramBatch batch = DatagramBatch.allocate(64, 2048)) {
            for (int start = 0; start < datagrams.size(); start += 64) {
                int count = Math.min(64, datagrams.size() - start);
                for (int i = 0; i < count; i++) {
                    byte[] datagram = datagrams.get(start + i);
                    batch.buffer(i).clear().put(datagram);
                    batch.setLength(i, datagram.length);
                    batch.setSegmentSize(i, 0);
                    batch.setRemote(i, to);
                }
                batch.setSize(count);
                from.send(batch);
            }
        }
    }

    /** Receives {@code count} datagrams, or fewer if none comes for two seconds. */
    public static List<byte[]> receive(UdpSocket socket, int count) throws IOException {
        List<byte[]> received = new ArrayList<>();
        try (DatagramBatch batch = DatagramBatch.allocate(64, 2048)) {
            while (received.size() < count) {
                int slots = socket.receive(batch, 2000);
                if (slots == 0) {
                    break;
                }
                for (int i = 0; i < slots; i++) {
                    byte[] datagram = new byte[batch.length(i)];
                    batch.buffer(i).get(0, datagram);
                    received.add(datagram);
                }
            }
        }
        return received;
    }

    @Override
    public void close() {
        client.close();
        peer.close();
    }

    private static UdpSocketOptions options(InetSocketAddress local) {
        return UdpSocketOptions.bind(local).withBufferSizes(8 << 20, 8 << 20);
    }
}
