package dev.zonewire.benchmarks.snownet;

import dev.zonewire.relay.Forward;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Encapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.stun.ChannelData;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The snownet per-packet path on one thread: the client's {@code encapsulate} of a 1280-byte IP
 * packet and the gateway's {@code decapsulate} of the datagram that produces (a packet cannot be
 * opened twice: WireGuard refuses a replayed counter). {@code relayed}: the direct path is blocked
 * and the datagram also passes the relay module's sans-IO server (its cost is included), as
 * ChannelData on at least one side. Time stands still, so no timers fire. See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class NodeDataPathBenchmark {
    @Param({"false", "true"})
    boolean relayed;

    private NodePair pair;
    private ByteBuffer buffer;
    private int packetLength;
    private InetSocketAddress allocationAddress;

    @Setup(Level.Trial)
    public void setUp() {
        pair = new NodePair(relayed);
        buffer = ByteBuffer.allocate(Node.HEADROOM + Node.MAX_DATAGRAM_PAYLOAD + Node.TAILROOM);
        packetLength = Node.INNER_MTU;
    }

    @Benchmark
    public Object encapsulateAndDecapsulate() {
        buffer.clear();
        writeIpv4Header(buffer, Node.HEADROOM, packetLength);
        buffer.limit(Node.HEADROOM + packetLength).position(Node.HEADROOM);
        Encapsulated sent = pair.client.encapsulate("gateway", buffer, pair.now);
        if (!(sent instanceof Encapsulated.Send send)) {
            throw new IllegalStateException("not sent: " + sent);
        }
        Decapsulated<String> received = relayed ? throughRelay(send.destination()) : pair.gateway.decapsulate(
                NodePair.GATEWAY, NodePair.CLIENT, buffer, pair.now);
        if (!(received instanceof Decapsulated.Packet<String>)) {
            throw new IllegalStateException("not opened: " + received);
        }
        return received;
    }

    /**
     * The relay's part: ChannelData from the client out of an allocation port, or a datagram to
     * the gateway's allocation port back as ChannelData; the gateway then takes what reaches it.
     */
    private Decapsulated<String> throughRelay(InetSocketAddress destination) {
        if (destination.getPort() == NodePair.RELAY.getPort()) {
            Forward forward = pair.relay.handleClientInput(buffer, NodePair.CLIENT, pair.now, 0);
            buffer.limit(forward.payloadOffset() + forward.payloadLength()).position(forward.payloadOffset());
            if (!forward.destination().getAddress().equals(NodePair.RELAY.getAddress())) {
                return pair.gateway.decapsulate(NodePair.GATEWAY, relayPort(forward.sourcePort()), buffer, pair.now);
            }
            return fromAllocationPort(relayPort(forward.sourcePort()), forward.destination().getPort());
        }
        return fromAllocationPort(NodePair.CLIENT, destination.getPort());
    }

    private Decapsulated<String> fromAllocationPort(InetSocketAddress peer, int allocationPort) {
        Forward forward = pair.relay.handlePeerInput(buffer, peer, allocationPort, pair.now);
        int start = forward.payloadOffset() - ChannelData.HEADER_LENGTH;
        ChannelData.writeHeader(buffer, start, forward.channel(), forward.payloadLength());
        buffer.limit(forward.payloadOffset() + forward.payloadLength()).position(start);
        return pair.gateway.decapsulate(NodePair.GATEWAY, NodePair.RELAY, buffer, pair.now);
    }

    private InetSocketAddress relayPort(int port) {
        if (allocationAddress == null || allocationAddress.getPort() != port) {
            allocationAddress = new InetSocketAddress(NodePair.RELAY.getAddress(), port);
        }
        return allocationAddress;
    }

    /** A minimal valid IPv4 header (checksum not needed by snownet) for the inner packet. */
    private static void writeIpv4Header(ByteBuffer buffer, int offset, int length) {
        buffer.put(offset, (byte) 0x45);
        buffer.putShort(offset + 2, (short) length);
        buffer.put(offset + 8, (byte) 64);
        buffer.put(offset + 9, (byte) 17);
        buffer.putInt(offset + 12, 0x64400001);
        buffer.putInt(offset + 16, 0xAC140064);
    }
}
