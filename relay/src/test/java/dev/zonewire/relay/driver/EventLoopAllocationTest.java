package dev.zonewire.relay.driver;

import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.relay.peers.RelayedChannel;
import dev.zonewire.stun.ChannelData;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event loop thread allocates nothing per relayed datagram, in either direction. What it does
 * allocate is per system call, not per datagram: the JDK's FFM downcall with errno capture may
 * make one 40-byte MemorySegment per call when the JIT does not eliminate it, and the metrics
 * snapshot once a second. Spread over batches that stays far below the smallest object (16 bytes)
 * per datagram, which any per-datagram allocation would exceed.
 */
@Timeout(120)
class EventLoopAllocationTest {
    private static final int ROUNDS = 40;
    private static final int BURST = 500;

    private final RelayDaemon relay = RelayDaemon.start(RelayConfig.of((Inet4Address) InetAddress.getLoopbackAddress(), null)
            .withBind(InetAddress.getLoopbackAddress(), null).withListenPort(0).withHttp(null, null));

    EventLoopAllocationTest() throws Exception {
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void relayingChannelDataBothWaysAllocatesNothingPerDatagram() throws Exception {
        try (RelayedChannel channel = RelayedChannel.open(relay, InetAddress.getLoopbackAddress(), 0x4000)) {
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                relayBothWays(channel);
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long loopThread = loopThreadId();
            long before = threads.getThreadAllocatedBytes(loopThread);

            long relayed = relayBothWays(channel);

            long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
            assertThat(relayed).isEqualTo(2L * ROUNDS * BURST);
            assertThat((double) allocated / relayed).as("bytes allocated per relayed datagram (%d in all)", allocated)
                    .isLessThan(8.0);
        }
    }

    /** Relays ROUNDS bursts each way and returns how many datagrams arrived. */
    private static long relayBothWays(RelayedChannel channel) throws Exception {
        List<byte[]> framed = Collections.nCopies(BURST, ChannelData.encode(channel.number(), new byte[120], false));
        List<byte[]> raw = Collections.nCopies(BURST, new byte[120]);
        long arrived = 0;
        for (int round = 0; round < ROUNDS; round++) {
            RelayedChannel.sendAll(channel.client(), channel.server(), framed);
            arrived += RelayedChannel.receive(channel.peer(), BURST).size();
            RelayedChannel.sendAll(channel.peer(), channel.relayed(), raw);
            arrived += RelayedChannel.receive(channel.client(), BURST).size();
        }
        return arrived;
    }

    private static long loopThreadId() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("zw-relay-loop"))
                .findFirst().orElseThrow().threadId();
    }
}
