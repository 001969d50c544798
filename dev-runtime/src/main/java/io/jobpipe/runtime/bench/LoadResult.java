package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured load window against one endpoint.
 *
 * @param sent            requests sent in the window
 * @param byStatus        answers received in the window, by HTTP status, in status order
 * @param transportErrors requests that got no HTTP answer (refused, reset, timed out)
 * @param seconds         length of the window
 * @param latency         latency of the 2xx answers (closed loop: from send; open loop: from the scheduled time)
 * @param firstProblem    the first non-2xx answer or transport error, or null
 */
public record LoadResult(long sent, Map<Integer, Long> byStatus, long transportErrors, double seconds,
                         LatencySummary latency, String firstProblem) {
    public LoadResult {
        byStatus = Collections.unmodifiableMap(new TreeMap<>(byStatus));
    }

    @JsonProperty
    public long accepted() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(Map.Entry::getValue).sum();
    }

    /** Answers that were not 2xx, plus transport errors. */
    @JsonProperty
    public long failed() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum()
                + transportErrors;
    }

    @JsonProperty
    public long rateLimited() {
        return byStatus.getOrDefault(429, 0L);
    }

    /** 2xx answers per second. */
    @JsonProperty
    public double acceptedPerSecond() {
        return seconds <= 0 ? 0 : accepted() / seconds;
    }

    @JsonIgnore
    public boolean clean() {
        return failed() == 0;
    }
}
