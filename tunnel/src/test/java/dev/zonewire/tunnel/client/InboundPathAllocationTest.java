package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.zonewire.tunnel.TestPackets;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A decrypted packet from a gateway passes the client's checks on its way to the TUN device without allocating. */
class InboundPathAllocationTest {
    private static final int PACKETS = 100_000;

    @Test
    void aReplyFromAResourceAllocatesNothing() {
        ClientState client = ConnectedClient.create();
        byte[] reply = TestPackets.bytes(TestPackets.tcp("10.0.0.5", 443, "100.64.0.1", 40000, 0x18, new byte[1200]));
        ByteBuffer buffer = ByteBuffer.allocateDirect(reply.length);
        Runnable receiving = () -> {
            for (int i = 0; i < PACKETS; i++) {
                buffer.clear();
                buffer.put(0, reply);
                if (!client.handleGatewayPacket(ConnectedClient.GATEWAY, buffer, i)) {
                    throw new AssertionError("the reply is for the TUN device");
                }
            }
        };
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        receiving.run();
        long before = threads.getThreadAllocatedBytes(thread);

        receiving.run();

        assertThat(threads.getThreadAllocatedBytes(thread) - before).isLessThan(1024);
    }
}
