package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.DatagramPacket;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Datagrams packed into UDP segmentation offload slots leave as the datagrams they were: each
 * arrives whole, in order, at its own destination, whatever the mix of sizes and destinations,
 * and no slot grows past what one send may carry. Over loopback, to plain JDK receivers.
 */
class OutboxTest {
    private final DeviceCounters counters = new DeviceCounters();
    private UdpBinding binding;
    private Outbox outbox;
    private DatagramChannel first;
    private DatagramChannel second;

    @BeforeEach
    void open() throws Exception {
        binding = UdpBinding.open(0, 0, false, null);
        outbox = new Outbox(16, true, () -> binding, counters);
        first = receiver();
        second = receiver();
    }

    @AfterEach
    void close() throws Exception {
        outbox.close();
        binding.close();
        first.close();
        second.close();
    }

    @Test
    void datagramsOfMixedSizesAndDestinationsArriveWholeAndInOrder() throws Exception {
        List<byte[]> toFirst = List.of(datagram(1452, 1), datagram(1452, 2), datagram(1452, 3), datagram(700, 4),
                datagram(1452, 5), datagram(1600, 6), datagram(32, 7));
        List<byte[]> toSecond = List.of(datagram(1452, 8), datagram(1452, 9));

        for (byte[] datagram : toFirst.subList(0, 4)) {
            send(first, datagram);
        }
        send(second, toSecond.get(0));
        for (byte[] datagram : toFirst.subList(4, toFirst.size())) {
            send(first, datagram);
        }
        send(second, toSecond.get(1));
        outbox.flush();

        assertThat(receive(first, toFirst.size())).containsExactlyElementsOf(hex(toFirst));
        assertThat(receive(second, toSecond.size())).containsExactlyElementsOf(hex(toSecond));
        assertThat(counters.sendErrors.sum()).isZero();
    }

    @Test
    void aSlotNeverCarriesMoreThanOneSendMay() throws Exception {
        // 63 datagrams of 1,040 bytes would fill 65,520 bytes, more than the kernel takes in one send.
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            datagrams.add(datagram(1040, i));
            send(first, datagrams.getLast());
        }
        outbox.flush();

        assertThat(receive(first, datagrams.size())).containsExactlyElementsOf(hex(datagrams));
        assertThat(counters.sendErrors.sum()).isZero();
    }

    @Test
    void moreDatagramsThanTheBatchHoldsAreSentEarlyNotLost() throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            datagrams.add(datagram(100 + i, i));
            send(i % 2 == 0 ? first : second, datagrams.getLast());
        }
        outbox.flush();

        assertThat(receive(first, 20)).containsExactlyElementsOf(hex(everyOther(datagrams, 0)));
        assertThat(receive(second, 20)).containsExactlyElementsOf(hex(everyOther(datagrams, 1)));
    }

    private void send(DatagramChannel to, byte[] datagram) throws Exception {
        outbox.add((InetSocketAddress) to.getLocalAddress(), datagram, 0, datagram.length);
    }

    private static DatagramChannel receiver() throws Exception {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.socket().setSoTimeout(5000);
        channel.socket().setReceiveBufferSize(4 << 20);
        return channel;
    }

    /** The next {@code count} datagrams, each as hex. */
    private static List<String> receive(DatagramChannel channel, int count) throws Exception {
        List<String> received = new ArrayList<>();
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        for (int i = 0; i < count; i++) {
            packet.setLength(65536);
            channel.socket().receive(packet);
            received.add(HexFormat.of().formatHex(packet.getData(), 0, packet.getLength()));
        }
        return received;
    }

    private static byte[] datagram(int length, int seed) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) seed);
        bytes[0] = (byte) (length >>> 8);
        bytes[1] = (byte) length;
        return bytes;
    }

    private static List<byte[]> everyOther(List<byte[]> datagrams, int start) {
        List<byte[]> result = new ArrayList<>();
        for (int i = start; i < datagrams.size(); i += 2) {
            result.add(datagrams.get(i));
        }
        return result;
    }

    private static List<String> hex(List<byte[]> datagrams) {
        return datagrams.stream().map(HexFormat.of()::formatHex).toList();
    }
}
