package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.procfs.CompilerThreads;
import io.jobpipe.runtime.procfs.ProcessTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CPU time of each located part of the system (the sum over its process trees) and of this JVM, the
 * load generator. A part whose process ended or was replaced since it was located reads as absent, so a restart
 * during a measurement is reported, not mistaken for an idle process.
 */
public final class CpuMeter {
    /**
     * @param nanoTime     when it was read ({@link System#nanoTime()})
     * @param ticksByPart  CPU ticks of each part still running as located; absent parts are missing
     * @param selfTicks    CPU ticks of this JVM
     * @param jitTicksByPart CPU ticks of the JIT compiler threads of each part's JVMs (see {@link CompilerThreads})
     */
    public record Reading(long nanoTime, Map<String, Long> ticksByPart, long selfTicks, Map<String, Long> jitTicksByPart) {
        public Reading(long nanoTime, Map<String, Long> ticksByPart, long selfTicks) {
            this(nanoTime, ticksByPart, selfTicks, Map.of());
        }
    }

    private final List<SystemParts.Located> parts;
    private final long selfPid = ProcessHandle.current().pid();

    public CpuMeter(List<SystemParts.Located> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<SystemParts.Located> parts() {
        return parts;
    }

    public Reading read() {
        ProcessTable table = ProcessTable.snapshot();
        long now = System.nanoTime();
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> jit = new LinkedHashMap<>();
        for (SystemParts.Located part : parts) {
            if (!part.found() || !part.roots().stream().allMatch(r -> r.sameProcessIn(table))) {
                continue;
            }
            ticks.put(part.part(), part.roots().stream().mapToLong(r -> table.treeTicks(r.pid()).orElse(0L)).sum());
            jit.put(part.part(), part.roots().stream().mapToLong(r -> CompilerThreads.ticks(r.pid()).orElse(0L)).sum());
        }
        long self = table.get(selfPid).map(ProcessTable.Entry::ticks).orElse(0L);
        return new Reading(now, ticks, self, jit);
    }
}
