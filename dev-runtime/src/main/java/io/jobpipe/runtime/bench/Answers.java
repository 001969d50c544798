package io.jobpipe.runtime.bench;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What load runs got back, over one or more measured windows: answers by HTTP status, transport errors, the first
 * refusal, latencies. Thread-safe.
 */
final class Answers {
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder transportErrors = new LongAdder();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private final LatencyStats latency = new LatencyStats();
    private final LongAdder sent = new LongAdder();
    private double seconds;

    void record(HttpResponse<String> response, Throwable error, long latencyNanos) {
        if (error != null) {
            transportErrors.increment();
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            firstProblem.compareAndSet(null, cause.toString());
            return;
        }
        byStatus.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
        if (response.statusCode() / 100 == 2) {
            latency.recordNanos(latencyNanos);
        } else {
            String body = response.body() == null ? "" : response.body().strip();
            firstProblem.compareAndSet(null, "HTTP " + response.statusCode() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
        }
    }

    /** Adds a measured window of {@code windowSeconds} in which {@code windowSent} requests were sent. */
    synchronized void window(long windowSent, double windowSeconds) {
        sent.add(windowSent);
        seconds += windowSeconds;
    }

    synchronized LoadResult result() {
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
        return new LoadResult(sent.sum(), statuses, transportErrors.sum(), seconds, latency.summary(), firstProblem.get());
    }
}
