package dev.zonewire.benchmarks.ippacket;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time the benchmark JVM used per operation, and so how many operations one
 * fully available core would run per second. On a machine shared with other work, throughput
 * measured against the wall clock says how much CPU the benchmark was given; this says what an
 * operation costs. It counts all of the JVM's threads (JIT and GC included), so it errs on the
 * expensive side. Use with {@code -prof dev.zonewire.benchmarks.ippacket.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark process per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public List<ScalarResult> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long operations = result.getMetadata().getAllOps();
        if (operations == 0) {
            return List.of();
        }
        double cpuNanosPerOp = (double) (os.getProcessCpuTime() - cpuAtStart) / operations;
        return List.of(
                new ScalarResult("cpu.time.norm", cpuNanosPerOp, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("ops.per.cpu.second", 1e9 / cpuNanosPerOp, "ops/s", AggregationPolicy.AVG));
    }
}
