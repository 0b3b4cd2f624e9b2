package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One thread waiting on many UDP sockets through epoll. */
@Timeout(30)
class UdpPollerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void reportsTheTokensOfTheSocketsThatHaveDatagrams() throws IOException {
        try (UdpPoller poller = UdpPoller.open(16);
                Sockets sockets = Sockets.open(4, poller);
                UdpSocket sender = open(false);
                DatagramBatch batch = DatagramBatch.allocate(4, 1500)) {
            send(sender, batch, sockets.get(1).localAddress(), sockets.get(3).localAddress());

            assertThat(readyTokens(poller, 2)).containsExactlyInAnyOrder(101, 103);
        }
    }

    @Test
    void aSocketStaysReadyUntilItIsDrained() throws IOException {
        try (UdpPoller poller = UdpPoller.open(16);
                Sockets sockets = Sockets.open(2, poller);
                UdpSocket sender = open(false);
                DatagramBatch batch = DatagramBatch.allocate(4, 1500)) {
            send(sender, batch, sockets.get(0).localAddress());
            assertThat(readyTokens(poller, 1)).containsExactly(100);

            assertThat(poller.await(0)).isEqualTo(1);
            assertThat(sockets.get(0).receive(batch, 0)).isEqualTo(1);

            assertThat(poller.await(0)).isZero();
        }
    }

    @Test
    void awaitReturnsNothingWhenTheTimePassesWithoutDatagrams() throws IOException {
        try (UdpPoller poller = UdpPoller.open(16); Sockets sockets = Sockets.open(2, poller)) {
            long start = System.nanoTime();

            int ready = poller.await(50);

            assertThat(ready).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        }
    }

    @Test
    void aWakeupFromAnotherThreadEndsAWait() throws Exception {
        try (UdpPoller poller = UdpPoller.open(16); Sockets sockets = Sockets.open(1, poller)) {
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return poller.await(-1);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);

            poller.wakeup();

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(poller.await(0)).as("the wake-up is consumed").isZero();
        }
    }

    @Test
    void unregisteredAndClosedSocketsAreNoLongerReported() throws IOException {
        try (UdpPoller poller = UdpPoller.open(16);
                Sockets sockets = Sockets.open(3, poller);
                UdpSocket sender = open(false);
                DatagramBatch batch = DatagramBatch.allocate(4, 1500)) {
            InetSocketAddress closedAddress = sockets.get(1).localAddress();
            poller.unregister(sockets.get(0));
            sockets.get(1).close();
            poller.unregister(sockets.get(1));

            send(sender, batch, sockets.get(0).localAddress(), closedAddress, sockets.get(2).localAddress());

            assertThat(readyTokens(poller, 1)).containsExactly(102);
        }
    }

    @Test
    void aPolledSocketHoldsOneFileDescriptor() throws IOException {
        long before = openDescriptors();
        try (Sockets polled = Sockets.open(50, null)) {
            assertThat(openDescriptors() - before).isEqualTo(50);
        }
        try (UdpSocket plain = open(false)) {
            assertThat(openDescriptors() - before).as("a plain socket also has its wake-up eventfd").isEqualTo(2);
        }
    }

    /** Waits until {@code expected} sockets are ready at once (datagrams on loopback arrive quickly, not instantly). */
    private static Set<Integer> readyTokens(UdpPoller poller, int expected) throws IOException {
        Set<Integer> tokens = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tokens.size() < expected && System.nanoTime() < deadline) {
            tokens.clear();
            int ready = poller.await(100);
            for (int i = 0; i < ready; i++) {
                tokens.add(poller.token(i));
            }
        }
        return tokens;
    }

    private static void send(UdpSocket sender, DatagramBatch batch, InetSocketAddress... destinations)
            throws IOException {
        for (int i = 0; i < destinations.length; i++) {
            batch.slot(i).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) i);
            batch.setLength(i, 1);
            batch.setSegmentSize(i, 0);
            batch.setRemote(i, destinations[i]);
        }
        batch.setSize(destinations.length);
        sender.send(batch);
    }

    private static UdpSocket open(boolean polled) throws IOException {
        return UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(LOOPBACK, 0)).withPolled(polled));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }

    /** Polled sockets registered with tokens 100, 101, ... (or not registered, with a null poller). */
    private record Sockets(List<UdpSocket> all) implements AutoCloseable {
        static Sockets open(int count, UdpPoller poller) throws IOException {
            List<UdpSocket> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                UdpSocket socket = UdpPollerTest.open(true);
                all.add(socket);
                if (poller != null) {
                    poller.register(socket, 100 + i);
                }
            }
            return new Sockets(all);
        }

        UdpSocket get(int i) {
            return all.get(i);
        }

        @Override
        public void close() {
            all.forEach(UdpSocket::close);
        }
    }
}
