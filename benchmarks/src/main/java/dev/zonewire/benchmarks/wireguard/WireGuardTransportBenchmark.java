package dev.zonewire.benchmarks.wireguard;

import dev.zonewire.wireguard.WireGuardPeer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one transport packet in place through the public tunnel API, on one thread:
 * {@code seal} is Alice's {@code encapsulate}; {@code sealAndOpen} adds Bob's {@code decapsulate} of
 * the same packet (opening alone cannot be repeated: the replay window refuses a counter twice).
 * Time stands still, so no rekey happens during a run. See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WireGuardTransportBenchmark {
    private static final long NOW = 1_000_000_000L;

    @Param("1420")
    int packetLength;

    private TunnelPair pair;
    private ByteBuffer buffer;

    @Setup
    public void setUp() {
        pair = new TunnelPair(NOW);
        pair.handshake(NOW);
        buffer = TunnelPair.packetBuffer(packetLength);
    }

    @Benchmark
    public ByteBuffer seal() {
        TunnelPair.ipv4Packet(buffer, packetLength);
        if (!pair.alice.encapsulate(pair.bobAtAlice, buffer, NOW)) {
            throw new IllegalStateException("no session");
        }
        return buffer;
    }

    @Benchmark
    public WireGuardPeer sealAndOpen() {
        TunnelPair.ipv4Packet(buffer, packetLength);
        pair.alice.encapsulate(pair.bobAtAlice, buffer, NOW);
        WireGuardPeer sender = pair.bob.decapsulate(buffer, TunnelPair.ALICE_ADDRESS, NOW);
        if (sender == null) {
            throw new IllegalStateException("the packet did not open");
        }
        return sender;
    }
}
