package io.jobpipe.runtime.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.LongSupplier;

/**
 * Finds the knee: runs one bounded benchmark step per rate, lowest first, each drained before the next, and stops
 * at the first step that misses the target (p99 above the limit, or any job lost, failed or refused) or when the
 * time budget would be exceeded. The knee is the highest rate that passed. Pure: the steps are given as a function.
 */
public final class KneeSearch {
    /** One step's verdict. {@code why} is empty when it passed. */
    public record Step(double rate, long sent, long accepted, long completed, double p50Ms, double p99Ms,
                       Double cpuMsPerJob, boolean passed, String why) {

        /** Judges a benchmark run against the limit: p99 ≤ {@code p99Limit}, every request accepted, every job completed. */
        public static Step of(double rate, BenchReport report, Duration p99Limit) {
            JobLedger.Outcomes o = report.accounting().outcomes();
            WebhookLoad.Counts http = report.ingest().http();
            LatencySummary e2e = report.endToEnd().latency();
            List<String> why = new ArrayList<>();
            long notAccepted = http.sent() - http.accepted();
            if (o.accepted() == 0) {
                why.add("nothing accepted");
            }
            if (notAccepted > 0) {
                why.add(notAccepted + " request(s) not accepted " + http.byStatus());
            }
            if (o.completed() < o.accepted()) {
                why.add((o.accepted() - o.completed()) + " job(s) not completed (" + o.failed() + " failed, "
                        + o.deadLettered() + " dead-lettered, " + o.inFlight() + " still in flight)");
            }
            if (!e2e.isEmpty() && e2e.p99Ms() > p99Limit.toMillis()) {
                why.add(String.format(Locale.ROOT, "p99 %.0f ms > %d ms", e2e.p99Ms(), p99Limit.toMillis()));
            }
            Double cpu = report.cpu() == null ? null : report.cpu().total().msPerJob();
            return new Step(rate, http.sent(), o.accepted(), o.completed(), e2e.isEmpty() ? 0 : e2e.p50Ms(),
                    e2e.isEmpty() ? 0 : e2e.p99Ms(), cpu, why.isEmpty(), String.join("; ", why));
        }
    }

    /**
     * @param knee      the highest passing rate, or 0 when none passed
     * @param stoppedBy why the search ended: a failing step, the budget, or the last rate
     */
    public record Result(List<Step> steps, double knee, String stoppedBy) {
    }

    private final List<Double> rates;
    private final Duration stepBound;
    private final Duration budget;

    /**
     * @param rates     the rates to try, ascending
     * @param stepBound the longest one step can take (sending + drain timeout + pause), to respect the budget
     * @param budget    the longest the whole search may take
     */
    public KneeSearch(List<Double> rates, Duration stepBound, Duration budget) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("no rates to try");
        }
        for (int i = 1; i < rates.size(); i++) {
            if (rates.get(i) <= rates.get(i - 1)) {
                throw new IllegalArgumentException("rates must increase, got " + rates);
            }
        }
        this.rates = List.copyOf(rates);
        this.stepBound = stepBound;
        this.budget = budget;
    }

    /** Longest possible run: every step at its bound, capped by the budget. */
    public Duration bound() {
        Duration all = stepBound.multipliedBy(rates.size());
        return all.compareTo(budget) < 0 ? all : budget;
    }

    public Result run(DoubleFunction<Step> step, LongSupplier nanoClock) {
        long start = nanoClock.getAsLong();
        List<Step> steps = new ArrayList<>();
        double knee = 0;
        for (double rate : rates) {
            Duration spent = Duration.ofNanos(nanoClock.getAsLong() - start);
            if (spent.plus(stepBound).compareTo(budget) > 0) {
                return new Result(List.copyOf(steps), knee, String.format(Locale.ROOT,
                        "budget: a step at %s/s could take %d s more than the %d s left", rate(rate),
                        stepBound.toSeconds(), budget.minus(spent).toSeconds()));
            }
            Step result = step.apply(rate);
            steps.add(result);
            if (!result.passed()) {
                return new Result(List.copyOf(steps), knee, rate(rate) + "/s failed: " + result.why());
            }
            knee = rate;
        }
        return new Result(List.copyOf(steps), knee, "every rate passed (the knee may be higher)");
    }

    private static String rate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }
}
