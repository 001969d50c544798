package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.procfs.ClockTicks;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the system spent in CPU, per part, from {@code /proc}: at idle before the load (as a share of one core) and
 * during the load (from the first request to the end of the drain), per accepted job. {@code msPerJobAboveIdle}
 * takes away what the part would have burnt idle over the same time, so a fixed background burn shows up as the
 * difference between the two. Null figures are unknown (the part was not found, or it restarted meanwhile).
 *
 * @param idleSeconds  length of the idle measurement, 0 when skipped
 * @param loadSeconds  length of the load measurement
 * @param jobs         accepted jobs of the run (the divisor)
 * @param total        the parts found, summed; {@code part} names what it leaves out
 * @param loadGenerator the bench's own JVM over the load window (not part of the total)
 * @param notes        parts not found or restarted, and why
 */
public record CpuCost(double idleSeconds, double loadSeconds, long jobs, List<Part> parts, Part total,
                      Part loadGenerator, List<String> notes) {

    /**
     * @param processes the pids measured (root of each tree)
     * @param how       how they were found
     * @param jitCpuMs  of {@code loadCpuMs}, what the JVMs' JIT compiler threads used (warm-up, not the work itself)
     */
    public record Part(String part, String processes, String how, Double idlePercentOfCore, Double loadCpuMs,
                       Double loadPercentOfCore, Double msPerJob, Double msPerJobAboveIdle, Double jitCpuMs) {
    }

    /**
     * @param idleStart reading before the idle pause, or null when idle was not measured
     * @param idleEnd   reading after it (may be the same as {@code loadStart})
     */
    public static CpuCost of(List<SystemParts.Located> located, CpuMeter.Reading idleStart, CpuMeter.Reading idleEnd,
                             CpuMeter.Reading loadStart, CpuMeter.Reading loadEnd, long jobs) {
        double idleSeconds = idleStart == null ? 0 : (idleEnd.nanoTime() - idleStart.nanoTime()) / 1e9;
        double loadSeconds = (loadEnd.nanoTime() - loadStart.nanoTime()) / 1e9;
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double idleSum = 0;
        double loadSum = 0;
        double jitSum = 0;
        boolean idleComplete = idleStart != null;
        List<String> missing = new ArrayList<>();
        for (SystemParts.Located p : located) {
            String pids = p.roots().stream().map(r -> Long.toString(r.pid())).collect(Collectors.joining("+"));
            if (!p.found()) {
                notes.add(p.part() + ": " + p.how());
                missing.add(p.part());
                parts.add(new Part(p.part(), "-", p.how(), null, null, null, null, null, null));
                continue;
            }
            Double idle = idleStart == null ? null : percent(delta(idleStart, idleEnd, p.part()), idleSeconds);
            Double load = millis(delta(loadStart, loadEnd, p.part()));
            if (idleStart != null && idle == null) {
                notes.add(p.part() + ": restarted or ended during the idle measurement; its idle CPU is unknown");
                idleComplete = false;
            }
            if (load == null) {
                notes.add(p.part() + ": restarted or ended during the load; its CPU is unknown");
                missing.add(p.part());
            } else {
                loadSum += load;
            }
            Double jit = load == null ? null : millis(jitDelta(loadStart, loadEnd, p.part()));
            if (jit != null) {
                jitSum += jit;
            }
            if (idle != null) {
                idleSum += idle;
            }
            parts.add(part(p.part(), pids, p.how(), idle, load, loadSeconds, jobs, jit));
        }
        Part total = part("total" + (missing.isEmpty() ? "" : " (without " + String.join(", ", missing) + ")"),
                "", "", idleComplete ? idleSum : null, loadSum, loadSeconds, jobs, jitSum);
        double self = ClockTicks.toMillis(loadEnd.selfTicks() - loadStart.selfTicks());
        Part generator = new Part("bench (load generator)", Long.toString(ProcessHandle.current().pid()), "this JVM",
                null, self, percentOfCore(self, loadSeconds), jobs > 0 ? self / jobs : null, null, null);
        return new CpuCost(idleSeconds, loadSeconds, jobs, List.copyOf(parts), total, generator, List.copyOf(notes));
    }

    private static Part part(String name, String pids, String how, Double idlePercent, Double loadMs, double loadSeconds,
                             long jobs, Double jitMs) {
        if (loadMs == null) {
            return new Part(name, pids, how, idlePercent, null, null, null, null, null);
        }
        Double perJob = jobs > 0 ? loadMs / jobs : null;
        Double aboveIdle = perJob == null || idlePercent == null ? null
                : (loadMs - idlePercent / 100.0 * loadSeconds * 1000.0) / jobs;
        return new Part(name, pids, how, idlePercent, loadMs, percentOfCore(loadMs, loadSeconds), perJob, aboveIdle,
                jitMs);
    }

    /** Null when unknown, and when a compiler thread ended meanwhile (its ticks left the sum: no honest figure). */
    private static Long jitDelta(CpuMeter.Reading from, CpuMeter.Reading to, String part) {
        Long a = from.jitTicksByPart().get(part);
        Long b = to.jitTicksByPart().get(part);
        return a == null || b == null || b < a ? null : b - a;
    }

    private static Long delta(CpuMeter.Reading from, CpuMeter.Reading to, String part) {
        Long a = from.ticksByPart().get(part);
        Long b = to.ticksByPart().get(part);
        return a == null || b == null || b < a ? null : b - a;
    }

    private static Double millis(Long ticks) {
        return ticks == null ? null : ClockTicks.toMillis(ticks);
    }

    private static Double percent(Long ticks, double seconds) {
        return ticks == null || seconds <= 0 ? null : percentOfCore(ClockTicks.toMillis(ticks), seconds);
    }

    private static Double percentOfCore(double cpuMs, double seconds) {
        return seconds <= 0 ? null : cpuMs / (seconds * 1000.0) * 100.0;
    }
}
