package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.BaselineHop;
import io.jobpipe.runtime.bench.BenchReport;
import io.jobpipe.runtime.bench.CpuCost;
import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.LatencySummary;
import io.jobpipe.runtime.bench.StatusCrossCheck;
import io.jobpipe.runtime.bench.WebhookLoad;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's closing summary, for people; {@code --json} has the same figures for machines. */
final class BenchReportPrinter {
    private BenchReportPrinter() {
    }

    static String render(BenchReport r) {
        StringBuilder out = new StringBuilder("\n");
        BenchReport.Settings s = r.settings();
        line(out, "== jobpipe bench %s ==", r.runId());
        line(out, "target    ingest %s (connection %s, %s, %d B), status %s, Kafka %s", s.ingestUrl(), s.connection(),
                s.body(), s.bodyBytes(), s.statusUrl(), s.bootstrapServers());
        line(out, "load      %d webhooks at %s/s, open loop, at most %d in flight; latencies from each request's scheduled send time",
                s.count(), number(s.ratePerSecond()), s.concurrency());

        BaselineHop.Result b = r.baseline();
        out.append('\n');
        if (b == null) {
            line(out, "baseline  skipped (--no-baseline)");
        } else {
            line(out, "baseline  raw Kafka hop: idempotent acks=all producer (linger.ms %d) → %s consumer (fetch.min.bytes %d), "
                    + "%d partitions, RF %d, %d B records", b.producerLingerMs(), b.isolationLevel(), b.consumerFetchMinBytes(),
                    b.partitions(), b.replicationFactor(), b.payloadBytes());
            line(out, "          %d records at %s/s, %d received%s", b.count(), number(b.ratePerSecond()), b.received(),
                    b.lost() + b.sendErrors() > 0 ? ", " + b.lost() + " not read back, " + b.sendErrors() + " send errors" : "");
            line(out, "          %s", percentiles(b.latency()));
        }

        WebhookLoad.Counts http = r.ingest().http();
        out.append('\n');
        line(out, "ingest    accepted %d of %d sent, %s accepted/s; not accepted: %s", http.accepted(), http.sent(),
                number(r.ingest().acceptedPerSecond()), notAccepted(http));
        line(out, "  2xx latency from scheduled send   %s", percentiles(http.ackLatency()));
        line(out, "  service time from actual send     %s", percentiles(http.serviceTime()));
        line(out, "  bench send lag (fired late by)    p99 %s  max %s", ms(http.sendLag().p99Ms()), ms(http.sendLag().maxMs()));

        BenchReport.EndToEnd e2e = r.endToEnd();
        out.append('\n');
        line(out, "end-to-end  JobCompleted seen by the bench − scheduled send (%s)",
                e2e.stages() > 0 ? e2e.stages() + " stages" : "stage count unknown");
        line(out, "          %s", percentiles(e2e.latency()));
        line(out, "  in pipeline (JobAccepted → JobCompleted, orchestrator clock)  %s", percentiles(e2e.inPipeline()));

        if (!r.stages().isEmpty()) {
            out.append('\n');
            line(out, "per stage (hop = StageDispatched → StageCompleted, orchestrator clock; agent = the agent's own time)");
            TextTable table = new TextTable("STAGE", "DONE", "FAILED", "HOP p50", "HOP p99", "AGENT p50", "AGENT p99");
            for (JobLedger.StageBreakdown stage : r.stages()) {
                LatencySummary hop = stage.dispatchToResult();
                LatencySummary agent = stage.agentDuration();
                table.row(stage.stage(), stage.completions(), stage.failedAttempts(),
                        hop.isEmpty() ? "-" : ms(hop.p50Ms()), hop.isEmpty() ? "-" : ms(hop.p99Ms()),
                        agent.isEmpty() ? "-" : ms(agent.p50Ms()), agent.isEmpty() ? "-" : ms(agent.p99Ms()));
            }
            table.render().lines().forEach(row -> out.append("  ").append(row).append('\n'));
        }

        BenchReport.Comparison c = r.comparison();
        out.append('\n');
        if (c == null) {
            line(out, "pipeline vs baseline: not computed (%s)", b == null ? "no baseline" : "no completed job or no stage count");
        } else {
            line(out, "pipeline vs baseline");
            line(out, "  per-stage hop = end-to-end p50 ÷ stages = %s ÷ %d = %s, which is %s× the baseline hop p50 (%s)",
                    ms(c.endToEndP50Ms()), c.stages(), ms(c.perStageHopMs()), number(c.ratioToBaseline()), ms(c.baselineP50Ms()));
            line(out, "  Kafka-hop floor = %d hops (request + 2 per stage + event) × %s = %s; end-to-end p50 is %s× that floor",
                    c.kafkaHopsPerJob(), ms(c.baselineP50Ms()), ms(c.hopFloorMs()), number(c.endToEndOverFloor()));
        }

        out.append(cpu(r.cpu()));

        JobLedger.Outcomes o = r.accounting().outcomes();
        out.append('\n');
        line(out, "loss accounting  accepted = completed + failed + dead-lettered + in flight");
        line(out, "  accepted        %d", o.accepted());
        line(out, "  COMPLETED       %d", o.completed());
        line(out, "  FAILED          %d", o.failed());
        line(out, "  DEAD_LETTERED   %d", o.deadLettered());
        line(out, "  in flight       %d  (after a drain timeout of %d s)", o.inFlight(), r.accounting().drainTimeoutMs() / 1000);
        o.inFlightExamples().forEach(example -> line(out, "                  %s", example));
        o.failureExamples().forEach(example -> line(out, "                  %s", example));
        StatusCrossCheck.Result status = r.statusCheck();
        if (status == null) {
            line(out, "  status service  not checked");
        } else {
            line(out, "  status service  GET /jobs/{id} for %d jobs: %s", status.checked(), states(status.byState()));
            status.examples().forEach(example -> line(out, "                  %s", example));
        }
        line(out, "  events read     %d from %s", r.accounting().eventsRead(), s.jobEventsTopic());
        line(out, "  event stream    %d missing seq, %d duplicate seq, %d terminal events after a terminal event (read_committed)",
                o.sequenceGaps(), o.duplicateEvents(), o.terminalAfterTerminal());

        out.append('\n');
        verdict(out, r.passed(), String.format(Locale.ROOT, "verdict   PASS: all %d accepted jobs ended COMPLETED (zero loss)",
                o.accepted()), "verdict   FAIL", r.problems(), r.warnings());
        return out.toString();
    }

    /** The verdict line, the problems under a failed one, then the warnings. */
    static void verdict(StringBuilder out, boolean passed, String passLine, String failLine, List<String> problems,
                        List<String> warnings) {
        if (passed) {
            line(out, "%s", passLine);
        } else {
            line(out, "%s", failLine);
            problems.forEach(problem -> line(out, "  - %s", problem));
        }
        if (!warnings.isEmpty()) {
            line(out, "warnings");
            warnings.forEach(warning -> line(out, "  - %s", warning));
        }
    }

    /** The CPU table: idle share of a core, then CPU per accepted job under load, per part and in total. */
    static String cpu(CpuCost c) {
        StringBuilder out = new StringBuilder("\n");
        if (c == null) {
            line(out, "cpu       not measured (--no-cpu, or no /proc on this system)");
            return out.toString();
        }
        line(out, "cpu       from /proc/<pid>/stat (utime+stime of each process tree, ended children included); "
                + "idle over %.0f s before the load, load from the first request to the end of the drain (%.1f s, %d jobs)",
                c.idleSeconds(), c.loadSeconds(), c.jobs());
        TextTable table = new TextTable("PART", "PID", "IDLE % CORE", "LOAD % CORE", "CPU MS", "OF IT JIT MS", "MS/JOB",
                "MS/JOB ABOVE IDLE");
        for (CpuCost.Part p : c.parts()) {
            cpuRow(table, p);
        }
        cpuRow(table, c.total());
        CpuCost.Part g = c.loadGenerator();
        table.row(g.part(), g.processes(), "-", optional(g.loadPercentOfCore(), "%.1f"), optional(g.loadCpuMs(), "%.0f"),
                "-", optional(g.msPerJob(), "%.2f"), "-");
        table.render().lines().forEach(row -> out.append("  ").append(row).append('\n'));
        c.notes().forEach(note -> line(out, "  note: %s", note));
        CpuCost.Part total = c.total();
        if (total.jitCpuMs() != null && total.loadCpuMs() != null && total.jitCpuMs() > 0.10 * total.loadCpuMs()) {
            line(out, "  note: JIT compiler threads used %.0f%% of the CPU under load: the JVMs were still compiling (warm-up), "
                    + "so these figures overstate the steady-state cost; --warm-up 3m runs load first",
                    100.0 * total.jitCpuMs() / total.loadCpuMs());
        }
        return out.toString();
    }

    private static void cpuRow(TextTable table, CpuCost.Part p) {
        table.row(p.part(), p.processes(), optional(p.idlePercentOfCore(), "%.1f"), optional(p.loadPercentOfCore(), "%.1f"),
                optional(p.loadCpuMs(), "%.0f"), optional(p.jitCpuMs(), "%.0f"), optional(p.msPerJob(), "%.2f"),
                optional(p.msPerJobAboveIdle(), "%.2f"));
    }

    private static String optional(Double value, String format) {
        return value == null ? "?" : String.format(Locale.ROOT, format, value);
    }

    static String percentiles(LatencySummary l) {
        if (l.isEmpty()) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s  p95 %s  p99 %s  max %s  (n=%d)",
                ms(l.p50Ms()), ms(l.p95Ms()), ms(l.p99Ms()), ms(l.maxMs()), l.count());
    }

    private static String notAccepted(WebhookLoad.Counts http) {
        long none = http.rejected() + http.transportErrors() + http.acceptedWithoutJobId();
        if (none == 0) {
            return "none";
        }
        String statuses = http.byStatus().entrySet().stream().filter(e -> e.getKey() / 100 != 2)
                .map(e -> "HTTP " + e.getKey() + " × " + e.getValue()).collect(Collectors.joining(", "));
        return none + " (" + (statuses.isEmpty() ? "" : statuses + ", ") + http.transportErrors() + " transport errors)";
    }

    private static String states(Map<String, Long> byState) {
        return byState.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis) : String.format(Locale.ROOT, "%.2f ms", millis);
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
