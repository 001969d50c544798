package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.BenchReport;
import io.jobpipe.runtime.bench.Benchmark;
import io.jobpipe.runtime.bench.KneeSearch;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./jobpipe bench --find-knee}: one benchmark step per rate (no baseline, no status cross-check: the
 * job-events topic decides), each drained and followed by a quiet pause, then the table of steps and the knee.
 * The idle CPU is measured once, before the first step. Exit 0 when some rate passed, 1 when none did.
 */
final class KneeRun {
    private final Benchmark.Plan base;
    private final List<Double> rates;
    private final Duration stepDuration;
    private final Duration p99Limit;
    private final Duration pause;
    private final Duration budget;
    private final PrintWriter out;
    private final PrintWriter err;

    KneeRun(Benchmark.Plan base, List<Double> rates, Duration stepDuration, Duration p99Limit, Duration pause,
            Duration budget, PrintWriter out, PrintWriter err) {
        this.base = base;
        this.rates = rates.stream().sorted().distinct().toList();
        this.stepDuration = stepDuration;
        this.p99Limit = p99Limit;
        this.pause = pause;
        this.budget = budget;
        this.out = out;
        this.err = err;
    }

    int call() {
        if (rates.isEmpty() || rates.get(0) <= 0) {
            err.println("bench: --knee-rates must be positive");
            return 2;
        }
        Duration stepBound = stepDuration.plus(base.requestTimeout()).plusSeconds(5).plus(base.drainTimeout()).plus(pause);
        KneeSearch search = new KneeSearch(rates, stepBound, budget.plus(base.idle()));
        out.printf(Locale.ROOT, "knee: rates %s/s, %d s each, drained (at most %d s) and %d s quiet between; "
                        + "pass = p99 <= %d ms, every request accepted, every job completed; at most %d s in all%n",
                rates.stream().map(KneeRun::rate).toList(), stepDuration.toSeconds(), base.drainTimeout().toSeconds(),
                pause.toSeconds(), p99Limit.toMillis(), search.bound().toSeconds());
        out.flush();
        int[] index = {0};
        KneeSearch.Result result;
        try {
            result = search.run(rate -> step(rate, index[0]++ == 0), System::nanoTime);
        } catch (StepFailure e) {
            err.println("bench could not run: " + e.getMessage());
            return 2;
        }
        out.print(render(result));
        out.flush();
        return result.knee() > 0 ? 0 : 1;
    }

    private KneeSearch.Step step(double rate, boolean first) {
        Benchmark.Plan plan = base.forStep(ArrivalSchedule.forDuration(rate, stepDuration), false, false,
                first ? base.idle() : Duration.ZERO, first ? base.warmUp() : Duration.ZERO);
        out.printf(Locale.ROOT, "%n== knee step: %s/s for %d s ==%n", rate(rate), stepDuration.toSeconds());
        out.flush();
        try {
            BenchReport report = new Benchmark(plan, out).run();
            if (first && report.cpu() != null) {
                out.print(BenchReportPrinter.cpu(report.cpu()));
            }
            KneeSearch.Step step = KneeSearch.Step.of(rate, report, p99Limit);
            out.printf(Locale.ROOT, "step %s/s: %s%s%n", rate(rate), step.passed() ? "PASS" : "FAIL",
                    step.passed() ? String.format(Locale.ROOT, " (p99 %.0f ms)", step.p99Ms()) : ": " + step.why());
            out.flush();
            if (step.passed()) {
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
            }
            return step;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted");
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            throw new StepFailure(e.getMessage());
        }
    }

    static String render(KneeSearch.Result result) {
        StringBuilder out = new StringBuilder("\n== jobpipe bench --find-knee ==\n");
        TextTable table = new TextTable("RATE/S", "SENT", "ACCEPTED", "COMPLETED", "E2E p50", "E2E p99", "CPU MS/JOB", "VERDICT");
        for (KneeSearch.Step s : result.steps()) {
            table.row(rate(s.rate()), s.sent(), s.accepted(), s.completed(), String.format(Locale.ROOT, "%.0f ms", s.p50Ms()),
                    String.format(Locale.ROOT, "%.0f ms", s.p99Ms()),
                    s.cpuMsPerJob() == null ? "?" : String.format(Locale.ROOT, "%.2f", s.cpuMsPerJob()),
                    s.passed() ? "PASS" : "FAIL: " + s.why());
        }
        table.render().lines().forEach(row -> out.append("  ").append(row).append('\n'));
        out.append("stopped   ").append(result.stoppedBy()).append('\n');
        out.append(result.knee() > 0
                ? "knee      " + rate(result.knee()) + " jobs/s: the highest rate tried with p99 within the limit and zero loss\n"
                : "knee      none: even the lowest rate failed\n");
        return out.toString();
    }

    private static String rate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    private static final class StepFailure extends RuntimeException {
        StepFailure(String message) {
            super(message);
        }
    }
}
