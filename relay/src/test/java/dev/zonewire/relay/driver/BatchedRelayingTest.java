package dev.zonewire.relay.driver;

import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.relay.peers.RelayedChannel;
import dev.zonewire.stun.ChannelData;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bursts of datagrams through the batching driver (recvmmsg in, sendmmsg and GSO out): every
 * datagram reaches its destination once, in order and byte for byte, whatever the mix of sizes
 * and allocations in a batch.
 */
@Timeout(60)
class BatchedRelayingTest {
    private static final int CHANNELS = 3;
    private static final int DATAGRAMS = 400;

    private RelayDaemon relay;
    private final List<RelayedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        relay = RelayDaemon.start(RelayConfig.of((Inet4Address) InetAddress.getByName("127.0.0.1"),
                        (Inet6Address) InetAddress.getByName("::1"))
                .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                .withListenPort(0).withHttp(null, null));
    }

    @AfterEach
    void stop() {
        channels.forEach(RelayedChannel::close);
        relay.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void burstsFromSeveralClientsReachEachPeerInOrder(String loopback) throws Exception {
        openChannels(loopback);
        List<List<byte[]>> sent = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            sent.add(payloads(new Random(c), c));
        }

        for (int start = 0; start < DATAGRAMS; start += 50) {
            for (int c = 0; c < CHANNELS; c++) {
                RelayedChannel channel = channels.get(c);
                List<byte[]> framed = sent.get(c).subList(start, start + 50).stream()
                        .map(payload -> ChannelData.encode(channel.number(), payload, false)).toList();
                RelayedChannel.sendAll(channel.client(), channel.server(), framed);
            }
        }

        for (int c = 0; c < CHANNELS; c++) {
            assertThat(RelayedChannel.receive(channels.get(c).peer(), DATAGRAMS))
                    .as("datagrams at peer %d", c)
                    .containsExactlyElementsOf(sent.get(c));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void burstsFromSeveralPeersReachEachClientInOrderAsChannelData(String loopback) throws Exception {
        openChannels(loopback);
        List<List<byte[]>> sent = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            sent.add(payloads(new Random(10 + c), c));
        }

        for (int start = 0; start < DATAGRAMS; start += 50) {
            for (int c = 0; c < CHANNELS; c++) {
                RelayedChannel channel = channels.get(c);
                RelayedChannel.sendAll(channel.peer(), channel.relayed(), sent.get(c).subList(start, start + 50));
            }
        }

        for (int c = 0; c < CHANNELS; c++) {
            RelayedChannel channel = channels.get(c);
            List<byte[]> expected = sent.get(c).stream()
                    .map(payload -> ChannelData.encode(channel.number(), payload, false)).toList();
            assertThat(RelayedChannel.receive(channel.client(), DATAGRAMS))
                    .as("datagrams at client %d", c)
                    .containsExactlyElementsOf(expected);
        }
    }

    private void openChannels(String loopback) throws Exception {
        for (int c = 0; c < CHANNELS; c++) {
            channels.add(RelayedChannel.open(relay, InetAddress.getByName(loopback), 0x4000 + c));
        }
    }

    /**
     * Datagrams numbered in their first bytes, in runs of equal sizes (which the driver sends as
     * one GSO slot) broken by runs of other sizes, shorter and longer.
     */
    private static List<byte[]> payloads(Random random, int channel) {
        List<byte[]> payloads = new ArrayList<>();
        while (payloads.size() < DATAGRAMS) {
            int size = 5 + random.nextInt(1200);
            int run = 1 + random.nextInt(30);
            for (int i = 0; i < run && payloads.size() < DATAGRAMS; i++) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                ByteBuffer.wrap(payload).putInt(payloads.size()).put((byte) channel);
                payloads.add(payload);
            }
        }
        return payloads;
    }
}
