package dev.zonewire.benchmarks.wireguardlinux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.linux.AllowedIps;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
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
 * Cryptokey routing, the driver's own work per packet: the longest-prefix match of a packet's
 * destination (sending) or source (receiving) in a table of {@code entries} allowed IPs, half of
 * them /32 hosts and half /24 networks, spread over 10.0.0.0/8 and fd00::/16. Each operation looks
 * up the next of 256 packets whose addresses all hit an entry. See docs/perf.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AllowedIpsBenchmark {
    private static final int PACKETS = 256;

    @Param({"2", "100", "10000"})
    int entries;

    private AllowedIps<String> table;
    private final byte[][] ipv4Packets = new byte[PACKETS][];
    private final byte[][] ipv6Packets = new byte[PACKETS][];
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(42);
        AllowedIps.Builder<String> builder = AllowedIps.<String>empty().toBuilder();
        int[] ipv4 = new int[entries];
        long[] ipv6 = new long[entries];
        for (int i = 0; i < entries; i++) {
            boolean host = i % 2 == 0;
            ipv4[i] = 0x0a000000 | (random.nextInt(1 << 24) & (host ? 0xffffff : 0xffff00));
            ipv6[i] = 0xfd00_0000_0000_0000L | (random.nextLong() & 0x0000_ffff_ffff_ff00L);
            builder.add(new IpPrefix(InetAddress.getByAddress(bytes(ipv4[i])), host ? 32 : 24), "peer" + i);
            builder.add(new IpPrefix(InetAddress.getByAddress(bytes(ipv6[i], 0)), 64), "peer" + i);
        }
        table = builder.build();
        for (int i = 0; i < PACKETS; i++) {
            int entry = random.nextInt(entries);
            ipv4Packets[i] = new byte[1420];
            ipv4Packets[i][0] = 0x45;
            System.arraycopy(bytes(ipv4[entry]), 0, ipv4Packets[i], 16, 4);
            ipv6Packets[i] = new byte[1420];
            ipv6Packets[i][0] = 0x60;
            System.arraycopy(bytes(ipv6[entry], random.nextLong()), 0, ipv6Packets[i], 24, 16);
        }
    }

    @Benchmark
    public String ipv4Destination() {
        byte[] packet = ipv4Packets[next++ & (PACKETS - 1)];
        return table.forDestination(packet, 0, packet.length);
    }

    @Benchmark
    public String ipv6Destination() {
        byte[] packet = ipv6Packets[next++ & (PACKETS - 1)];
        return table.forDestination(packet, 0, packet.length);
    }

    private static byte[] bytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    private static byte[] bytes(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }
}
