package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batched and offloaded UDP between two sockets on loopback, checked byte for byte. */
@Timeout(30)
class UdpSocketTest {
    private final Random random = new Random(20210);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aBatchOfDatagramsArrivesByteExactWithTheirAddresses(String loopback) throws IOException {
        InetAddress address = InetAddress.ofLiteral(loopback);
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, false);
                DatagramBatch out = DatagramBatch.allocate(64, 1500);
                DatagramBatch in = DatagramBatch.allocate(64, 1500)) {
            List<byte[]> sent = fill(out, 64, receiver.localAddress(), () -> 1 + random.nextInt(1400));

            assertThat(sender.send(out)).isEqualTo(64);

            List<byte[]> received = receiveAll(receiver, in, 64, sender.localAddress(), address);
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aGsoSlotArrivesAsSeparateDatagramsAtAReceiverWithoutGro(String loopback) throws IOException {
        InetAddress address = InetAddress.ofLiteral(loopback);
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, false);
                DatagramBatch out = DatagramBatch.allocate(4, 65535);
                DatagramBatch in = DatagramBatch.allocate(64, 1500)) {
            assertThat(sender.sendOffload()).isTrue();
            List<byte[]> sent = fillSegmented(out, 2, 30, 1200, receiver.localAddress());

            assertThat(sender.send(out)).isEqualTo(60);

            assertThat(receiveAll(receiver, in, 60, sender.localAddress(), address)).containsExactlyElementsOf(sent);
            assertThat(in.segmentSize(0)).isEqualTo(1200);
        }
    }

    @Test
    void aClosedSocketThatAThreadWasReceivingOnReleasesItsPortForANewBind() throws Exception {
        InetAddress address = InetAddress.ofLiteral("127.0.0.1");
        UdpSocket socket = open(address, false);
        int port = socket.localAddress().getPort();
        Thread receiver = Thread.ofPlatform().start(() -> {
            try (DatagramBatch in = DatagramBatch.allocate(1, 1500)) {
                socket.receive(in);
            } catch (IOException closed) {
                // the close below ends the receive
            }
        });
        Thread.sleep(100);

        socket.close();

        assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
        try (UdpSocket again = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(address, port)))) {
            assertThat(again.localAddress().getPort()).isEqualTo(port);
        }
        receiver.join(5000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void withoutSendOffloadAGsoSlotLeavesAsItsDatagramsOneByOne(String loopback) throws IOException {
        InetAddress address = InetAddress.ofLiteral(loopback);
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, false);
                DatagramBatch out = DatagramBatch.allocate(4, 65535);
                DatagramBatch in = DatagramBatch.allocate(64, 1500)) {
            sender.stopSendOffload();
            List<byte[]> sent = fillSegmented(out, 2, 30, 1200, receiver.localAddress());

            assertThat(sender.send(out)).isEqualTo(60);

            assertThat(receiveAll(receiver, in, 60, sender.localAddress(), address)).containsExactlyElementsOf(sent);
            assertThat(sender.stats().sendsFailed()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aGroReceiverGetsAGsoSendInOneSlotCutIntoItsDatagrams(String loopback) throws IOException {
        InetAddress address = InetAddress.ofLiteral(loopback);
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, true);
                DatagramBatch out = DatagramBatch.allocate(1, 65535);
                DatagramBatch in = DatagramBatch.allocate(8, 65535)) {
            assertThat(receiver.receiveOffload()).isTrue();
            List<byte[]> sent = fillSegmented(out, 1, 40, 1200, receiver.localAddress());
            sender.send(out);

            assertThat(receiver.receive(in, 5_000)).isEqualTo(1);

            assertThat(in.segmentSize(0)).isEqualTo(1200);
            assertThat(in.datagramCount(0)).isEqualTo(40);
            assertThat(split(in, 0)).containsExactlyElementsOf(sent);
            assertThat(receiver.stats().datagramsReceived()).isEqualTo(40);
        }
    }

    @Test
    void aGroReceiverStillTakesSingleDatagrams() throws IOException {
        InetAddress address = InetAddress.getLoopbackAddress();
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, true);
                DatagramBatch out = DatagramBatch.allocate(16, 1500);
                DatagramBatch in = DatagramBatch.allocate(16, 65535)) {
            List<byte[]> sent = fill(out, 16, receiver.localAddress(), () -> 100 + random.nextInt(1300));

            sender.send(out);

            assertThat(receiveAll(receiver, in, 16, sender.localAddress(), address)).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void aSlotCanChooseItsSourceAddress() throws IOException {
        try (UdpSocket sender = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress("0.0.0.0", 0)));
                UdpSocket receiver = open(InetAddress.ofLiteral("127.0.0.1"), false);
                DatagramBatch out = DatagramBatch.allocate(2, 1500);
                DatagramBatch in = DatagramBatch.allocate(2, 1500)) {
            fill(out, 2, receiver.localAddress(), () -> 10);
            out.setLocal(0, InetAddress.ofLiteral("127.0.0.2"));
            out.setLocal(1, InetAddress.ofLiteral("127.0.0.3"));

            sender.send(out);

            List<InetAddress> sources = new ArrayList<>();
            while (sources.size() < 2) {
                int count = receiver.receive(in, 5_000);
                for (int i = 0; i < count; i++) {
                    sources.add(in.remote(i).getAddress());
                }
            }
            assertThat(sources).containsExactly(InetAddress.ofLiteral("127.0.0.2"), InetAddress.ofLiteral("127.0.0.3"));
        }
    }

    @Test
    void aRefusedDatagramIsCountedAndTheRestOfTheBatchStillGoes() throws IOException {
        InetAddress address = InetAddress.getLoopbackAddress();
        try (UdpSocket sender = open(address, false);
                UdpSocket receiver = open(address, false);
                DatagramBatch out = DatagramBatch.allocate(3, 1500);
                DatagramBatch in = DatagramBatch.allocate(3, 1500)) {
            List<byte[]> sent = fill(out, 3, receiver.localAddress(), () -> 100);
            out.setRemote(1, new InetSocketAddress("::1", 9));

            assertThat(sender.send(out)).isEqualTo(2);

            assertThat(receiveAll(receiver, in, 2, sender.localAddress(), address))
                    .containsExactly(sent.get(0), sent.get(2));
            UdpStats stats = sender.stats();
            assertThat(stats.sendsFailed()).isEqualTo(1);
            assertThat(Errno.name(stats.lastSendErrno())).isEqualTo("EAFNOSUPPORT");
        }
    }

    @Test
    void aReceiveWithATimeoutReturnsNothingWhenNothingCame() throws IOException {
        try (UdpSocket receiver = open(InetAddress.getLoopbackAddress(), false);
                DatagramBatch in = DatagramBatch.allocate(4, 1500)) {
            assertThat(receiver.receive(in, 50)).isZero();
            assertThat(in.size()).isZero();
        }
    }

    @Test
    void closingWakesABlockedReceiver() throws Exception {
        UdpSocket receiver = open(InetAddress.getLoopbackAddress(), false);
        try (DatagramBatch in = DatagramBatch.allocate(4, 1500)) {
            CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    return receiver.receive(in);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);

            receiver.close();

            assertThatThrownBy(() -> receiving.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(AsynchronousCloseException.class);
        }
    }

    @Test
    void buffersLargerThanTheSysctlCapAreGrantedToRoot() throws IOException {
        UdpSocketOptions options = UdpSocketOptions.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withBufferSizes(16 << 20, 8 << 20);
        try (UdpSocket socket = UdpSocket.open(options)) {
            // The kernel doubles the request for its own bookkeeping.
            assertThat(socket.receiveBufferSize()).isEqualTo(32 << 20);
            assertThat(socket.sendBufferSize()).isEqualTo(16 << 20);
        }
    }

    @Test
    void theFirewallMarkIsOnTheSocket() throws Exception {
        UdpSocketOptions options = UdpSocketOptions.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withFirewallMark(0xfd002021);
        try (UdpSocket socket = UdpSocket.open(options)) {
            Process ss = new ProcessBuilder("ss", "-uaen", "src", "127.0.0.1:" + socket.localAddress().getPort())
                    .redirectErrorStream(true).start();
            String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ss.waitFor()).isZero();

            assertThat(output).contains("fwmark:0xfd002021");
        }
    }

    @Test
    void bindingATakenPortFailsWithTheAddressAndEaddrinuse() throws IOException {
        try (UdpSocket first = open(InetAddress.getLoopbackAddress(), false)) {
            InetSocketAddress taken = first.localAddress();

            assertThatThrownBy(() -> UdpSocket.open(UdpSocketOptions.bind(taken)))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE))
                    .hasMessage("bind UDP socket to 127.0.0.1:" + taken.getPort() + ": Address already in use (EADDRINUSE)");
        }
    }

    private static UdpSocket open(InetAddress address, boolean receiveOffload) throws IOException {
        return UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(address, 0))
                .withReceiveOffload(receiveOffload));
    }

    /** Fills {@code count} slots with random datagrams to {@code destination} and returns their contents. */
    private List<byte[]> fill(DatagramBatch batch, int count, InetSocketAddress destination,
            IntSupplier length) {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[length.getAsInt()];
            random.nextBytes(data);
            MemorySegment.copy(data, 0, batch.slot(i), ValueLayout.JAVA_BYTE, 0, data.length);
            batch.setLength(i, data.length);
            batch.setSegmentSize(i, 0);
            batch.setRemote(i, destination);
            contents.add(data);
        }
        batch.setSize(count);
        return contents;
    }

    /** Fills {@code slots} GSO slots with {@code perSlot} datagrams each (the last one shorter). */
    private List<byte[]> fillSegmented(DatagramBatch batch, int slots, int perSlot, int segmentSize,
            InetSocketAddress destination) {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int offset = 0;
            for (int d = 0; d < perSlot; d++) {
                byte[] data = new byte[d == perSlot - 1 ? segmentSize / 2 : segmentSize];
                random.nextBytes(data);
                MemorySegment.copy(data, 0, batch.slot(i), ValueLayout.JAVA_BYTE, offset, data.length);
                offset += data.length;
                contents.add(data);
            }
            batch.setLength(i, offset);
            batch.setSegmentSize(i, segmentSize);
            batch.setRemote(i, destination);
        }
        batch.setSize(slots);
        return contents;
    }

    private static List<byte[]> receiveAll(UdpSocket receiver, DatagramBatch batch, int expected,
            InetSocketAddress from, InetAddress to) throws IOException {
        List<byte[]> received = new ArrayList<>();
        while (received.size() < expected) {
            int count = receiver.receive(batch, 5_000);
            assertThat(count).as("datagrams within 5 s").isPositive();
            for (int i = 0; i < count; i++) {
                assertThat(batch.remote(i)).isEqualTo(from);
                assertThat(batch.local(i)).isEqualTo(to);
                received.addAll(split(batch, i));
            }
        }
        return received;
    }

    private static List<byte[]> split(DatagramBatch batch, int i) {
        List<byte[]> datagrams = new ArrayList<>();
        int segment = batch.segmentSize(i);
        for (int offset = 0; offset < batch.length(i); offset += segment) {
            int length = Math.min(segment, batch.length(i) - offset);
            datagrams.add(batch.slot(i).asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }
        return datagrams;
    }
}
