package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.BenchReport;
import io.jobpipe.runtime.bench.BulkReplayReport;
import io.jobpipe.runtime.bench.CpuCost;
import io.jobpipe.runtime.bench.DeadLetterSeeder;
import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.LatencySummary;
import io.jobpipe.runtime.bench.ReplayFigures;
import io.jobpipe.runtime.bench.ReplayImpact;
import io.jobpipe.runtime.bench.StatusCrossCheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.jobpipe.runtime.cli.BenchReportPrinter.line;
import static io.jobpipe.runtime.cli.BenchReportPrinter.ms;
import static io.jobpipe.runtime.cli.BenchReportPrinter.number;

/**
 * The closing summary of {@code ./jobpipe bench --bulk-replay}: the seeding, the replay, both phases of normal traffic
 * side by side, the p99 ratio against issue 8's target, and the verdict. Each phase's full report is printed before.
 */
final class BulkReplayReportPrinter {
    private BulkReplayReportPrinter() {
    }

    static String render(BulkReplayReport r) {
        StringBuilder out = new StringBuilder("\n");
        line(out, "== jobpipe bench --bulk-replay %s ==", r.runId());
        DeadLetterSeeder.Result seed = r.seed();
        line(out, "seeded    %d dead letters of pipeline %s (connection %s, event type %s) in %.1f s",
                seed.deadLettered(), DeadLetterSeeder.PIPELINE, DeadLetterSeeder.CONNECTION, DeadLetterSeeder.EVENT_TYPE,
                seed.seconds());

        ReplayFigures p = r.replay();
        out.append('\n');
        if (p.startFailure() != null) {
            line(out, "replay    could not start: %s", p.startFailure());
        } else {
            line(out, "replay    operation %s, replay id %s, filter %s (dry run: %d matched), patch %s",
                    p.operationId(), p.replayId(), p.filter(), p.dryRunMatched(), p.inputPatch());
            line(out, "  operation        %s: %d of %d commands sent, %d not sent%s", p.state(), p.sent(), p.matched(),
                    p.failed(), p.error() == null ? "" : "; " + p.error());
            line(out, "  sending          %s at %d/s asked: %s achieved", seconds(p.sendingSeconds()),
                    p.requestedRatePerSecond(), perSecond(p.sentPerSecond()));
            line(out, "  all COMPLETED    %s", p.allCompletedSeconds() == null
                    ? "no: " + p.completed() + " of " + p.jobs() + " COMPLETED, " + p.deadLetteredAgain() + " dead-lettered"
                    : String.format(Locale.ROOT, "%s after the operation was asked for: replayed jobs completed at %s",
                    seconds(p.allCompletedSeconds()), perSecond(p.completedPerSecond())));
            StatusCrossCheck.Result status = p.statusCheck();
            line(out, "  status service   %s", status == null ? "not checked" : "GET /jobs/{id} for " + status.checked()
                    + " jobs: " + status.byState().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
            p.notCompletedExamples().forEach(example -> line(out, "                   %s", example));
        }

        out.append('\n');
        line(out, "normal traffic (%s, %s/s for %d webhooks per phase; latencies from each request's scheduled send time)",
                r.baseline().settings().body(), number(r.baseline().settings().ratePerSecond()),
                r.baseline().settings().count());
        TextTable table = new TextTable("", "BASELINE", "DURING REPLAY");
        row(table, "accepted / sent", r, b -> b.ingest().http().accepted() + " / " + b.ingest().http().sent());
        row(table, "e2e p50", r, b -> latency(b.endToEnd().latency(), LatencySummary::p50Ms));
        row(table, "e2e p95", r, b -> latency(b.endToEnd().latency(), LatencySummary::p95Ms));
        row(table, "e2e p99", r, b -> latency(b.endToEnd().latency(), LatencySummary::p99Ms));
        row(table, "e2e max", r, b -> latency(b.endToEnd().latency(), LatencySummary::maxMs));
        row(table, "ingest 2xx p99", r, b -> latency(b.ingest().http().ackLatency(), LatencySummary::p99Ms));
        row(table, "COMPLETED", r, b -> Long.toString(b.accounting().outcomes().completed()));
        row(table, "lost (in flight, failed, DLQ)", r, BulkReplayReportPrinter::lost);
        cpuRows(table, r.baseline().cpu(), r.duringReplay().cpu());
        table.render().lines().forEach(row -> out.append("  ").append(row).append('\n'));
        if (r.baseline().cpu() != null) {
            line(out, "  (CPU as %% of one core from the first request to the end of the drain; the replay phase's "
                    + "includes the replay's work)");
        }

        ReplayImpact impact = r.impact();
        out.append('\n');
        if (impact.verdict() == ReplayImpact.Verdict.UNKNOWN) {
            line(out, "p99 ratio  not computed: a phase has no completed job");
        } else {
            line(out, "p99 ratio  during replay / baseline = %s / %s = %.2f× (issue 8: at most %s×): %s",
                    ms(impact.duringReplayP99Ms()), ms(impact.baselineP99Ms()), impact.ratio(),
                    number(impact.allowedRatio()), impact.verdict());
        }
        BenchReportPrinter.verdict(out, r.passed(), String.format(Locale.ROOT, "verdict    PASS: the replay completed "
                + "all %d dead letters and no normal job was lost in either phase", p.jobs()), "verdict    FAIL",
                r.problems(), r.warnings());
        return out.toString();
    }

    private static void row(TextTable table, String label, BulkReplayReport r, Function<BenchReport, String> figure) {
        table.row(label, figure.apply(r.baseline()), figure.apply(r.duringReplay()));
    }

    private static String lost(BenchReport b) {
        JobLedger.Outcomes o = b.accounting().outcomes();
        long lost = o.inFlight() + o.failed() + o.deadLettered();
        return lost == 0 ? "0" : lost + " (" + o.inFlight() + ", " + o.failed() + ", " + o.deadLettered() + ")";
    }

    /** One row per part: its share of a core under load in each phase. */
    private static void cpuRows(TextTable table, CpuCost baseline, CpuCost duringReplay) {
        if (baseline == null || duringReplay == null) {
            return;
        }
        Map<String, String[]> rows = new LinkedHashMap<>();
        List.of(baseline, duringReplay).forEach(cost -> {
            int column = cost == baseline ? 0 : 1;
            cost.parts().forEach(part -> rows.computeIfAbsent("CPU " + part.part(), k -> new String[]{"?", "?"})[column]
                    = percent(part.loadPercentOfCore()));
            rows.computeIfAbsent("CPU total", k -> new String[]{"?", "?"})[column] = percent(cost.total().loadPercentOfCore());
        });
        rows.forEach((label, figures) -> table.row(label, figures[0], figures[1]));
    }

    private static String percent(Double value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String latency(LatencySummary l, Function<LatencySummary, Double> percentile) {
        return l.isEmpty() ? "-" : ms(percentile.apply(l));
    }

    private static String seconds(Double value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.1f s", value);
    }

    private static String perSecond(Double value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.1f/s", value);
    }
}
