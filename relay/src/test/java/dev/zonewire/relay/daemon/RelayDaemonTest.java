package dev.zonewire.relay.daemon;

import dev.zonewire.relay.peers.BlockingTurnClient;
import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay over real UDP sockets on loopback, IPv4 and IPv6, with its HTTP endpoints. */
class RelayDaemonTest {
    static final Inet4Address LOOPBACK4 = (Inet4Address) InetAddress.getLoopbackAddress();
    static final Inet6Address LOOPBACK6 = loopback6();

    private RelayDaemon relay;

    static RelayConfig loopbackConfig() {
        return RelayConfig.of(LOOPBACK4, LOOPBACK6).withBind(LOOPBACK4, LOOPBACK6).withListenPort(0)
                .withHttp(new InetSocketAddress(LOOPBACK4, 0), null);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void relaysChannelDataBothWaysOverIpv4() throws Exception {
        relay = RelayDaemon.start(loopbackConfig());

        pingPong(LOOPBACK4, new StunAttribute[0]);
    }

    @Test
    void relaysChannelDataBothWaysOverIpv6() throws Exception {
        relay = RelayDaemon.start(loopbackConfig());

        pingPong(LOOPBACK6, new StunAttribute[]{new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6)});
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        relay = RelayDaemon.start(loopbackConfig());
        pingPong(LOOPBACK4, new StunAttribute[0]);
        Thread.sleep(1200);

        HttpResponse<String> health = get("/healthz");
        HttpResponse<String> metrics = get("/metrics");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("relay_allocations 1")
                .contains("relay_relayed_packets_total{direction=\"client_to_peer\"} 1")
                .contains("relay_relayed_packets_total{direction=\"peer_to_client\"} 1")
                .contains("relay_responses_total{code=\"401\",method=\"allocate\"}")
                .contains("relay_dropped_packets_total{reason=\"malformed_stun\"} 0");
    }

    @Test
    void drainRefusesNewAllocationsAndEndsWhenTheLastOneIsDeleted() throws Exception {
        relay = RelayDaemon.start(loopbackConfig());
        try (BlockingTurnClient existing = client(LOOPBACK4); BlockingTurnClient late = client(LOOPBACK4)) {
            assertThat(BlockingTurnClient.isSuccess(existing.allocate())).isTrue();

            relay.requestStop();

            assertThat(BlockingTurnClient.errorCode(late.allocate())).isEqualTo(508);
            assertThat(BlockingTurnClient.isSuccess(existing.refresh(600))).isTrue();
            assertThat(relay.isRunning()).isTrue();
            existing.refresh(0);
            assertThat(relay.awaitTermination(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void secondStopRequestEndsAtOnceDespiteAllocations() throws Exception {
        relay = RelayDaemon.start(loopbackConfig());
        try (BlockingTurnClient existing = client(LOOPBACK4)) {
            existing.allocate();

            relay.requestStop();
            relay.requestStop();

            assertThat(relay.awaitTermination(Duration.ofSeconds(5))).isTrue();
        }
    }

    private void pingPong(InetAddress family, StunAttribute[] allocateAttributes) throws Exception {
        try (BlockingTurnClient client = client(family);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(family, 0))) {
            peer.setSoTimeout(3000);
            StunMessage allocated = client.allocate(allocateAttributes);
            InetSocketAddress relayed = BlockingTurnClient.relayedAddresses(allocated).getFirst();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertThat(BlockingTurnClient.isSuccess(client.bindChannel(0x4000, peerAddress))).isTrue();

            client.sendChannelData(0x4000, "ping".getBytes());
            DatagramPacket received = new DatagramPacket(new byte[100], 100);
            peer.receive(received);
            peer.send(new DatagramPacket("pong".getBytes(), 4, received.getSocketAddress()));
            ChannelData.Frame back = client.receiveChannelData(Duration.ofSeconds(3)).orElseThrow();

            assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo("ping".getBytes());
            assertThat(received.getSocketAddress()).isEqualTo(relayed);
            assertThat(back).isEqualTo(new ChannelData.Frame(0x4000, "pong".getBytes()));
        }
    }

    private BlockingTurnClient client(InetAddress family) throws IOException {
        RelayCredentials.Issued credentials = RelayCredentials.issue(relay.stampSecret(),
                Instant.now().plus(Duration.ofHours(1)), new Random());
        return new BlockingTurnClient(new InetSocketAddress(family, 0), new InetSocketAddress(family, relay.listenPort()),
                credentials.username().toString(), credentials.password());
    }

    private HttpResponse<String> get(String path) throws Exception {
        InetSocketAddress address = relay.httpAddress();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Inet6Address loopback6() {
        try {
            return (Inet6Address) InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
