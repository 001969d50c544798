package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.IngestBenchReport;
import io.jobpipe.runtime.bench.LoadResult;

import java.util.Locale;
import java.util.stream.Collectors;

/** The text of {@code ./jobpipe bench ingest}'s result. */
final class IngestBenchPrinter {
    private IngestBenchPrinter() {
    }

    static String render(IngestBenchReport report) {
        StringBuilder text = new StringBuilder();
        line(text, "");
        line(text, "ingest throughput: signed GitHub webhooks of %d B, closed loops of %d connections",
                report.bodyBytes(), report.connections());
        line(text, "  rounds (bare / ingest)         %s", rounds(report));
        line(text, "  bare Micronaut endpoint (202)  %8.0f/s  %s", report.baseline().acceptedPerSecond(), answers(report.baseline()));
        line(text, "  ingest, maximum                %8.0f/s  %s", report.ingest().acceptedPerSecond(), answers(report.ingest()));
        line(text, "  ratio ingest / bare            %8.1f%%   target >= %.0f%%   %s", report.ratio() * 100,
                IngestBenchReport.MIN_RATIO * 100, report.throughputPassed() ? "PASS" : "FAIL");
        LoadResult half = report.atHalf();
        line(text, "  ingest at %.0f/s (half max)     p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %s",
                report.halfRate(), half.latency().p50Ms(), half.latency().p95Ms(), half.latency().p99Ms(),
                half.latency().maxMs(), answers(half));
        line(text, "  p99 at half max                %8.1f ms  target <= %.0f ms  %s", half.latency().p99Ms(),
                IngestBenchReport.MAX_P99_MS, report.latencyPassed() ? "PASS" : "FAIL");
        if (report.rateLimited()) {
            line(text, "RATE-LIMITED: ingest answered 429 (%d at maximum, %d at half); its rate limits, not ingest, "
                    + "set these figures. Restart ./jobpipe up with JOBPIPE_INGEST_CONNECTION_RATE_PER_SECOND and "
                    + "JOBPIPE_INGEST_CLIENT_RATE_PER_SECOND above the bare endpoint's rate (e.g. 100000).",
                    report.ingest().rateLimited(), report.atHalf().rateLimited());
        }
        for (LoadResult result : new LoadResult[] {report.baseline(), report.ingest(), half}) {
            if (result.firstProblem() != null) {
                line(text, "first refusal or error: %s", result.firstProblem());
                break;
            }
        }
        line(text, "%s", report.passed() ? "PASS" : "FAIL" + (report.throughputPassed() && report.latencyPassed()
                ? " (refused or failed requests: they are not throughput)" : ""));
        return text.toString();
    }

    /** e.g. {@code 2950/s / 443/s, 2890/s / 451/s}. */
    static String rounds(IngestBenchReport report) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.max(report.baselineRounds().size(), report.ingestRounds().size()); i++) {
            text.append(i == 0 ? "" : ", ")
                    .append(rate(i < report.baselineRounds().size() ? report.baselineRounds().get(i) : null))
                    .append(" / ")
                    .append(rate(i < report.ingestRounds().size() ? report.ingestRounds().get(i) : null));
        }
        return text.toString();
    }

    private static String rate(Double perSecond) {
        return perSecond == null ? "-" : String.format(Locale.ROOT, "%.0f/s", perSecond);
    }

    /** e.g. {@code 202×41234}, or {@code 202×100 429×7 transport-errors×1}. */
    static String answers(LoadResult result) {
        String statuses = result.byStatus().entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" "));
        if (result.transportErrors() > 0) {
            statuses = (statuses.isEmpty() ? "" : statuses + " ") + "transport-errors×" + result.transportErrors();
        }
        return statuses.isEmpty() ? "no answers" : statuses;
    }

    private static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
