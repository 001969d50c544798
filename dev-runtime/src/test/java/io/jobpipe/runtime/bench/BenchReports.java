package io.jobpipe.runtime.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Benchmark reports and replay figures made up for tests of what is computed from them. */
public final class BenchReports {
    private BenchReports() {
    }

    /** A phase of {@code count} webhooks at {@code rate}/s, every one accepted; {@code lost} of them never finished. */
    public static BenchReport phase(double rate, int count, double p99Ms, long lost, CpuCost cpu) {
        LatencySummary e2e = new LatencySummary(count - lost, p99Ms / 3, p99Ms / 1.5, p99Ms, p99Ms, p99Ms * 1.2, p99Ms / 3);
        LatencySummary ack = new LatencySummary(count, 2, 4, 8, 9, 10, 2.5);
        WebhookLoad.Counts http = new WebhookLoad.Counts(count, count, 0, 0, 0, 0, Map.of(202, (long) count), null, ack,
                ack, LatencySummary.EMPTY, count / rate);
        JobLedger.Outcomes outcomes = new JobLedger.Outcomes(count, count - lost, 0, 0, lost, 0, 0, 0, 0, 0,
                List.of(), List.of());
        List<String> problems = lost == 0 ? List.of() : List.of(lost + " accepted job(s) did not finish");
        return new BenchReport(Instant.EPOCH, "run", new BenchReport.Settings("http://localhost:8080",
                "http://localhost:8081", "127.0.0.1:9092", "jobpipe.job.events", 3, "demo", "sample generic", 300, rate,
                count, 64, 60_000), null, new BenchReport.Ingest(rate, http),
                new BenchReport.EndToEnd(e2e, e2e, 7), new BenchReport.Accounting(outcomes, 60_000, count * 20L, 0),
                null, null, List.of(), cpu, problems.isEmpty(), problems, List.of());
    }

    /** A replay of {@code jobs} seeded dead letters, done, of which {@code completed} ended COMPLETED. */
    public static ReplayFigures replay(long jobs, long completed, Double allCompletedSeconds) {
        return new ReplayFigures(null, "op_1", "bench-run", "{\"pipeline\":\"fails-on-demand\"}", "bench",
                "{\"fail\":false}", 500, jobs, jobs, jobs, 0, "done", null, jobs / 450.0, jobs, completed,
                jobs - completed, allCompletedSeconds, List.of(), null);
    }

    public static DeadLetterSeeder.Result seed(int jobs) {
        return new DeadLetterSeeder.Result(jobs, jobs, jobs, 0, 0, 0, null, jobs / 100.0, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(200), List.of());
    }
}
