package dev.zonewire.benchmarks.wireguard;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation of the benchmark JVM (every thread, so garbage collection counts), and the
 * operations per CPU-second that follow. Unlike ops/s, this holds on a machine shared with other
 * work, where the benchmark thread gets only part of a core. Use with {@code -prof
 * dev.zonewire.benchmarks.wireguard.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation, and operations per CPU-second";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuAtStart;
        long operations = result.getMetadata().getAllOps();
        if (operations == 0) {
            return List.of();
        }
        double nanosPerOperation = (double) cpu / operations;
        return List.of(
                new ScalarResult("cpu.time.norm", nanosPerOperation, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.ops", 1e9 / nanosPerOperation, "ops/cpu-s", AggregationPolicy.AVG));
    }
}
