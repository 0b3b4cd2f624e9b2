package dev.zonewire.benchmarks.platform;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpSocket;
import dev.zonewire.platform.linux.UdpSocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Datagrams per second through loopback, sent and received by one thread, 32 datagrams of
 * {@value #DATAGRAM} bytes (a WireGuard packet of a 1420-MTU tunnel is 1452) per operation:
 * the JDK's {@code DatagramChannel}, this module one datagram per system call, batched with
 * {@code sendmmsg}/{@code recvmmsg}, and with segmentation offload (GSO out, with or without GRO
 * in). The score is datagrams per second; both ends' system calls and the kernel's loopback path
 * are in it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class UdpLoopbackBenchmark {
    static final int DATAGRAM = 1400;
    static final int COUNT = 32;

    @Param({"127.0.0.1", "::1"})
    public String loopback;

    private UdpSocket sender;
    private UdpSocket receiver;
    private UdpSocket groReceiver;
    private DatagramBatch single;
    private DatagramBatch batch;
    private DatagramBatch toGroReceiver;
    private DatagramBatch segmented;
    private DatagramBatch groSegmented;
    private DatagramBatch received;
    private DatagramBatch singleReceived;
    private DatagramBatch groReceived;
    private DatagramChannel jdkSender;
    private DatagramChannel jdkReceiver;
    private ByteBuffer jdkBuffer;
    private InetSocketAddress jdkDestination;

    @Setup(Level.Trial)
    public void open() throws IOException {
        InetAddress address = InetAddress.ofLiteral(loopback);
        sender = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(address, 0)));
        receiver = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(address, 0)));
        groReceiver = UdpSocket.open(UdpSocketOptions.bind(new InetSocketAddress(address, 0)).withReceiveOffload(true));
        single = datagrams(1, 1500, receiver.localAddress());
        batch = datagrams(COUNT, 1500, receiver.localAddress());
        toGroReceiver = datagrams(COUNT, 1500, groReceiver.localAddress());
        segmented = oneSegmentedSlot(receiver.localAddress());
        groSegmented = oneSegmentedSlot(groReceiver.localAddress());
        received = DatagramBatch.allocate(COUNT, 1500);
        singleReceived = DatagramBatch.allocate(1, 1500);
        groReceived = DatagramBatch.allocate(COUNT, 65535);

        StandardProtocolFamily family = loopback.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        jdkSender = DatagramChannel.open(family).bind(new InetSocketAddress(address, 0));
        jdkReceiver = DatagramChannel.open(family).bind(new InetSocketAddress(address, 0));
        jdkDestination = (InetSocketAddress) jdkReceiver.getLocalAddress();
        jdkBuffer = ByteBuffer.allocateDirect(1500);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        sender.close();
        receiver.close();
        groReceiver.close();
        for (DatagramBatch b : new DatagramBatch[] {single, batch, toGroReceiver, segmented, groSegmented, received,
                singleReceived, groReceived}) {
            b.close();
        }
        jdkSender.close();
        jdkReceiver.close();
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int jdkDatagramChannel() throws IOException {
        for (int i = 0; i < COUNT; i++) {
            jdkBuffer.clear().limit(DATAGRAM);
            jdkSender.send(jdkBuffer, jdkDestination);
        }
        for (int i = 0; i < COUNT; i++) {
            jdkBuffer.clear();
            jdkReceiver.receive(jdkBuffer);
        }
        return jdkBuffer.position();
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int oneDatagramPerSystemCall() throws IOException {
        for (int i = 0; i < COUNT; i++) {
            sender.send(single);
        }
        int got = 0;
        while (got < COUNT && receiver.receive(singleReceived, 1_000) == 1) {
            got++;
        }
        return got;
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int sendmmsgAndRecvmmsg() throws IOException {
        sender.send(batch);
        return receiveAll(receiver, received);
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int gsoSendAndRecvmmsg() throws IOException {
        sender.send(segmented);
        return receiveAll(receiver, received);
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int gsoSendAndGroReceive() throws IOException {
        sender.send(groSegmented);
        return receiveAll(groReceiver, groReceived);
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public int sendmmsgAndGroReceive() throws IOException {
        sender.send(toGroReceiver);
        return receiveAll(groReceiver, groReceived);
    }

    /** Receives until all {@value #COUNT} datagrams came; a second without any ends the wait (a loss). */
    private static int receiveAll(UdpSocket socket, DatagramBatch into) throws IOException {
        int datagrams = 0;
        while (datagrams < COUNT) {
            int slots = socket.receive(into, 1_000);
            if (slots == 0) {
                break;
            }
            for (int i = 0; i < slots; i++) {
                datagrams += into.datagramCount(i);
            }
        }
        return datagrams;
    }

    private static DatagramBatch datagrams(int count, int slotSize, InetSocketAddress destination) {
        DatagramBatch datagrams = DatagramBatch.allocate(count, slotSize);
        for (int i = 0; i < count; i++) {
            datagrams.setLength(i, DATAGRAM);
            datagrams.setRemote(i, destination);
        }
        datagrams.setSize(count);
        return datagrams;
    }

    private static DatagramBatch oneSegmentedSlot(InetSocketAddress destination) {
        DatagramBatch datagrams = DatagramBatch.allocate(1, 65535);
        datagrams.setLength(0, COUNT * DATAGRAM);
        datagrams.setSegmentSize(0, DATAGRAM);
        datagrams.setRemote(0, destination);
        datagrams.setSize(1);
        return datagrams;
    }
}
