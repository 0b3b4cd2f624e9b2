package dev.zonewire.relay.driver;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** How queued datagrams leave: per socket, in order, equal-sized runs to one destination as one GSO slot. */
@Timeout(30)
class SendQueueTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] LOOPBACK_BYTES = LOOPBACK.getAddress();

    private final UdpSocket sender = open(false);
    private final UdpSocket otherSender = open(false);
    private final UdpSocket receiver = open(true);
    private final UdpSocket otherReceiver = open(true);
    private final SendQueue queue = new SendQueue(Map.of(1, sender, 2, otherSender)::get, 16, 1 << 16);
    private final DatagramBatch in = DatagramBatch.allocate(64, 65535);

    @AfterEach
    void close() {
        queue.close();
        in.close();
        List.of(sender, otherSender, receiver, otherReceiver).forEach(UdpSocket::close);
    }

    @Test
    void aRunOfEqualSizedDatagramsToOneDestinationLeavesAsOneGsoSlot() throws IOException {
        for (int i = 0; i < 10; i++) {
            queue.add(1, LOOPBACK_BYTES, receiver.localAddress().getPort(), false, 0, payload(i, 100));
        }

        queue.flush();

        assertThat(receiver.receive(in, 2000)).isEqualTo(1);
        assertThat(in.datagramCount(0)).isEqualTo(10);
        assertThat(in.segmentSize(0)).isEqualTo(100);
        assertThat(in.remotePort(0)).isEqualTo(sender.localAddress().getPort());
    }

    @Test
    void aShorterDatagramEndsItsSlotAndALongerOneStartsANewOne() throws IOException {
        int port = receiver.localAddress().getPort();
        List<ByteBuffer> sent = new ArrayList<>();
        for (int size : new int[]{100, 100, 100, 60, 100, 100, 300}) {
            sent.add(payload(sent.size(), size));
            queue.add(1, LOOPBACK_BYTES, port, false, 0, sent.getLast().duplicate());
        }

        queue.flush();

        assertThat(receiveSlots(receiver, 3)).containsExactly(
                List.of(sent.get(0), sent.get(1), sent.get(2), sent.get(3)),
                List.of(sent.get(4), sent.get(5)),
                List.of(sent.get(6)));
    }

    @Test
    void datagramsToOtherDestinationsAndFromOtherSocketsKeepTheirOrderPerDestination() throws IOException {
        int port = receiver.localAddress().getPort();
        int otherPort = otherReceiver.localAddress().getPort();
        queue.add(1, LOOPBACK_BYTES, port, false, 0, payload(0, 50));
        queue.add(1, LOOPBACK_BYTES, otherPort, false, 0, payload(1, 50));
        queue.add(2, LOOPBACK_BYTES, port, false, 0, payload(2, 50));
        queue.add(1, LOOPBACK_BYTES, port, false, 0, payload(3, 50));

        queue.flush();

        List<List<ByteBuffer>> atReceiver = receiveSlots(receiver, 2);
        assertThat(atReceiver).containsExactlyInAnyOrder(List.of(payload(0, 50)), List.of(payload(2, 50)), List.of(payload(3, 50)));
        assertThat(atReceiver.indexOf(List.of(payload(0, 50)))).isLessThan(atReceiver.indexOf(List.of(payload(3, 50))));
        assertThat(receiveSlots(otherReceiver, 1)).containsExactly(List.of(payload(1, 50)));
    }

    @Test
    void aHeaderGoesFirstInNetworkOrder() throws IOException {
        queue.add(1, LOOPBACK_BYTES, receiver.localAddress().getPort(), true, 0x4001_0003, ByteBuffer.wrap(new byte[]{7, 8, 9}));

        queue.flush();

        assertThat(receiveSlots(receiver, 1))
                .containsExactly(List.of(ByteBuffer.wrap(new byte[]{0x40, 0x01, 0x00, 0x03, 7, 8, 9})));
    }

    @Test
    void aFullQueueSendsBeforeTakingMore() throws IOException {
        for (int i = 0; i < 40; i++) {
            queue.add(1, LOOPBACK_BYTES, receiver.localAddress().getPort(), false, 0, payload(i, 30 + i));
        }

        assertThat(receiveSlots(receiver, 32)).hasSize(32);
        queue.flush();
        assertThat(receiveSlots(receiver, 8)).extracting(List::getFirst).containsExactly(
                payload(32, 62), payload(33, 63), payload(34, 64), payload(35, 65),
                payload(36, 66), payload(37, 67), payload(38, 68), payload(39, 69));
    }

    @Test
    void datagramsForAClosedOrMissingSocketAreCountedAsFailures() {
        otherSender.close();
        queue.add(2, LOOPBACK_BYTES, receiver.localAddress().getPort(), false, 0, payload(0, 10));
        queue.add(3, LOOPBACK_BYTES, receiver.localAddress().getPort(), false, 0, payload(1, 10));
        queue.add(3, LOOPBACK_BYTES, receiver.localAddress().getPort(), false, 0, payload(2, 10));

        queue.flush();

        assertThat(queue.takeFailures()).isEqualTo(3);
        assertThat(queue.takeFailures()).isZero();
    }

    /** The datagrams of each received slot (GRO keeps a GSO slot whole on loopback). */
    private List<List<ByteBuffer>> receiveSlots(UdpSocket socket, int slots) throws IOException {
        List<List<ByteBuffer>> received = new ArrayList<>();
        while (received.size() < slots) {
            int count = socket.receive(in, 2000);
            if (count == 0) {
                break;
            }
            for (int i = 0; i < count; i++) {
                List<ByteBuffer> datagrams = new ArrayList<>();
                for (int offset = 0; offset < in.length(i); offset += in.segmentSize(i)) {
                    byte[] datagram = new byte[Math.min(in.segmentSize(i), in.length(i) - offset)];
                    in.buffer(i).get(offset, datagram);
                    datagrams.add(ByteBuffer.wrap(datagram));
                }
                received.add(datagrams);
            }
        }
        return received;
    }

    private static ByteBuffer payload(int number, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) number);
        return ByteBuffer.wrap(bytes);
    }

    private static UdpSocket open(boolean receiveOffload) {
        try {
            return UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(LOOPBACK, 0)).withReceiveOffload(receiveOffload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
