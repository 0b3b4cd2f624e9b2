package dev.zonewire.benchmarks.wireguard;

import dev.zonewire.wireguard.Protocol;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Complete handshakes per second on one thread: every operation moves the virtual clock past
 * REKEY_AFTER_TIME, so Alice's next packet starts a rekey, and then carries the initiation, the
 * response and the confirming keepalive between the tunnels. Both sides' work is counted: an
 * operation is one initiation created and consumed, one response created and consumed, and the
 * keepalive that completes the handshake on the responder. See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WireGuardHandshakeBenchmark {
    private static final long STEP = Protocol.REKEY_AFTER_TIME.plusSeconds(1).toNanos();

    private TunnelPair pair;
    private ByteBuffer packet;
    private long now;

    @Setup
    public void setUp() {
        pair = new TunnelPair(now);
        pair.handshake(now);
        packet = TunnelPair.packetBuffer(40);
    }

    @Benchmark
    public long handshake() {
        now += STEP;
        long completedBefore = pair.handshakesCompleted;
        pair.alice.encapsulate(pair.bobAtAlice, TunnelPair.ipv4Packet(packet, 40), now);
        pair.exchange(now);
        if (pair.handshakesCompleted != completedBefore + 2) {
            throw new IllegalStateException("the rekey did not complete on both sides");
        }
        return now;
    }
}
