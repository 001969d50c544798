package io.jobpipe.runtime.bench;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What a load run got back: answers by HTTP status, transport errors, the first refusal, latencies. Thread-safe. */
final class Answers {
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder transportErrors = new LongAdder();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private final LatencyStats latency = new LatencyStats();

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

    LoadResult result(long sent, double seconds) {
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
        return new LoadResult(sent, statuses, transportErrors.sum(), seconds, latency.summary(), firstProblem.get());
    }
}
