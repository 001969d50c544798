package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The figures of {@code ./jobpipe bench ingest} and the issue-7 targets: accepted throughput at least
 * {@value #MIN_RATIO} of the bare Micronaut endpoint's, and p99 at most {@value #MAX_P99_MS} ms at half of ingest's
 * maximum throughput.
 *
 * @param bodyBytes   size of each webhook body
 * @param connections requests in flight in the closed loops
 * @param baselineRounds the bare endpoint's accepted rate in each round
 * @param ingestRounds   ingest's accepted rate in each round (rounds alternate: bare, ingest, bare, ingest…)
 * @param baseline    the bare endpoint at maximum throughput (closed loop), over all rounds
 * @param ingest      ingest at maximum throughput (closed loop), over all rounds
 * @param halfRate    the open loop's arrival rate: half of ingest's maximum (capped by {@link ArrivalSchedule#MAX_RATE})
 * @param atHalf      ingest at {@code halfRate} (open loop; latency from the scheduled time)
 */
public record IngestBenchReport(int bodyBytes, int connections, List<Double> baselineRounds,
                                List<Double> ingestRounds, LoadResult baseline, LoadResult ingest,
                                double halfRate, LoadResult atHalf) {
    public static final double MIN_RATIO = 0.40;
    public static final double MAX_P99_MS = 50;

    public IngestBenchReport {
        baselineRounds = List.copyOf(baselineRounds);
        ingestRounds = List.copyOf(ingestRounds);
    }

    /** Ingest's accepted throughput over the baseline's, over all rounds; 0 when the baseline accepted nothing. */
    @JsonProperty
    public double ratio() {
        double base = baseline.acceptedPerSecond();
        return base <= 0 ? 0 : ingest.acceptedPerSecond() / base;
    }

    @JsonProperty
    public boolean throughputPassed() {
        return baseline.accepted() > 0 && ratio() >= MIN_RATIO;
    }

    @JsonProperty
    public boolean latencyPassed() {
        return atHalf.accepted() > 0 && atHalf.failed() == 0 && atHalf.latency().p99Ms() <= MAX_P99_MS;
    }

    /** Ingest answered 429 somewhere: its rate limits, not ingest, set the figures. */
    @JsonProperty
    public boolean rateLimited() {
        return ingest.rateLimited() > 0 || atHalf.rateLimited() > 0;
    }

    /** Both targets met, with no refusal or transport error anywhere: a refused request is not throughput. */
    @JsonProperty
    public boolean passed() {
        return throughputPassed() && latencyPassed() && baseline.clean() && ingest.clean() && atHalf.clean();
    }
}
