package io.jobpipe.runtime.procfs;

import java.util.Optional;

/**
 * CPU a JVM has used so far, in {@code /proc} clock ticks ({@link ClockTicks}): all its threads and its ended
 * children ({@link ProcessTable.Entry#ticks}), and of those its JIT compiler threads' ({@link CompilerThreads}).
 * The difference of two readings is what a window of a benchmark cost, and how much of it was compiling.
 */
public record JvmCpu(long total, long jit) {
    /** The JVM's CPU now; empty where there is no {@code /proc} or the process is gone. */
    public static Optional<JvmCpu> of(long pid) {
        return ProcessTable.read(pid).map(entry -> new JvmCpu(entry.ticks(), CompilerThreads.ticks(pid).orElse(0)));
    }

    public JvmCpu minus(JvmCpu earlier) {
        // A compiler thread that HotSpot stopped takes its ticks out of the sum: the JIT's share is a lower bound.
        return new JvmCpu(total - earlier.total, Math.max(0, jit - earlier.jit));
    }
}
