package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Percentiles of one latency distribution, in milliseconds. */
public record LatencySummary(long count, double p50Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs,
                             double meanMs) {
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    @JsonIgnore
    public boolean isEmpty() {
        return count == 0;
    }
}
