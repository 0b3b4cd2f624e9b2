package dev.zonewire.relay.peers;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.StunMessage;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our TURN client code (the stun module) against coturn's turnserver with long-term
 * credentials: it allocates, binds channels and relays both ways, so our messages are
 * understood by an implementation nobody here wrote.
 */
class CoturnServerInteropTest {

    @Test
    void allocatesBindsChannelsAndRelaysThroughCoturn() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int port = ExternalProcess.freeUdpPort(loopback);
        int minPort = 40000 + (port % 1000) * 10;
        try (ExternalProcess turnserver = ExternalProcess.start(List.of("turnserver", "-n",
                "--listening-ip=127.0.0.1", "--listening-port=" + port, "--relay-ip=127.0.0.1",
                "--min-port=" + minPort, "--max-port=" + (minPort + 9),
                "--lt-cred-mech", "--user=zonewire:s3cret", "--realm=zonewire.test",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--no-tcp-relay",
                "--pidfile=/tmp/zw-rly-turnserver-" + port + ".pid", "--userdb=/tmp/zw-rly-turndb-" + port,
                "--log-file=stdout", "--simple-log"));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0));
             DatagramSocket secondPeer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            turnserver.awaitOutput("Total General servers", Duration.ofSeconds(10));
            peer.setSoTimeout(3000);
            secondPeer.setSoTimeout(3000);
            try (BlockingTurnClient client = new BlockingTurnClient(new InetSocketAddress(loopback, 0),
                    new InetSocketAddress(loopback, port), "zonewire", Secret.of("s3cret"))) {

                StunMessage allocated = client.allocate();
                InetSocketAddress relayed = BlockingTurnClient.relayedAddresses(allocated).getFirst();
                assertThat(BlockingTurnClient.isSuccess(client.bindChannel(0x4000, (InetSocketAddress) peer.getLocalSocketAddress()))).isTrue();
                assertThat(BlockingTurnClient.isSuccess(client.bindChannel(0x4001, (InetSocketAddress) secondPeer.getLocalSocketAddress()))).isTrue();

                assertRoundTrip(client, peer, 0x4000, relayed);
                assertRoundTrip(client, secondPeer, 0x4001, relayed);
                assertThat(BlockingTurnClient.isSuccess(client.refresh(0))).isTrue();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("/tmp/zw-rly-turnserver-" + port + ".pid"));
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("/tmp/zw-rly-turndb-" + port));
        }
    }

    private static void assertRoundTrip(BlockingTurnClient client, DatagramSocket peer, int channel, InetSocketAddress relayed)
            throws Exception {
        byte[] ping = ("ping " + channel).getBytes();
        client.sendChannelData(channel, ping);
        DatagramPacket received = new DatagramPacket(new byte[100], 100);
        peer.receive(received);
        peer.send(new DatagramPacket("pong".getBytes(), 4, received.getSocketAddress()));

        ChannelData.Frame back = client.receiveChannelData(Duration.ofSeconds(3)).orElseThrow();

        assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(ping);
        assertThat(received.getSocketAddress()).isEqualTo(relayed);
        assertThat(back).isEqualTo(new ChannelData.Frame(channel, "pong".getBytes()));
    }
}
