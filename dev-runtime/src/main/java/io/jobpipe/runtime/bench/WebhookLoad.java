package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.WebhookRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Posts the benchmark's webhooks asynchronously with at most {@code concurrency} requests in flight. When the
 * bound is reached the pacer waits here, and the wait counts: every latency is taken from the request's due time.
 * A 2xx with a {@code jobId} is an accepted job, handed to the {@link JobLedger}.
 */
public final class WebhookLoad {
    /** What the HTTP side saw, for the report. */
    public record Counts(long sent, long accepted, long rejected, long transportErrors, long acceptedWithoutJobId,
                         long duplicateJobIds, Map<Integer, Long> byStatus, String firstError,
                         LatencySummary ackLatency, LatencySummary serviceTime, LatencySummary sendLag,
                         double firstDueToLastAnswerSeconds) {
    }

    private final HttpClient client;
    private final URI target;
    private final IntFunction<WebhookRequest> requests;
    private final Duration requestTimeout;
    private final JobLedger ledger;
    private final int concurrency;
    private final Semaphore permits;
    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder transportErrors = new LongAdder();
    private final LongAdder withoutJobId = new LongAdder();
    private final LongAdder duplicateJobIds = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final LatencyStats ackLatency = new LatencyStats();
    private final LatencyStats serviceTime = new LatencyStats();
    private final LatencyStats sendLag = new LatencyStats();
    private final AtomicLong firstDue = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);

    public WebhookLoad(HttpClient client, URI target, IntFunction<WebhookRequest> requests, Duration requestTimeout,
                       JobLedger ledger, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        this.client = client;
        this.target = target;
        this.requests = requests;
        this.requestTimeout = requestTimeout;
        this.ledger = ledger;
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    /** A {@link Pacer.Fire}: sends request {@code index}, blocking only while {@code concurrency} are in flight. */
    public void fire(int index, long dueNanos) throws InterruptedException {
        permits.acquire();
        long sentAt = System.nanoTime();
        firstDue.accumulateAndGet(dueNanos, Math::min);
        sendLag.recordNanos(sentAt - dueNanos);
        sent.increment();
        try {
            client.sendAsync(requests.apply(index).toHttpRequest(target, requestTimeout), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        try {
                            answered(index, dueNanos, sentAt, response, error);
                        } finally {
                            permits.release();
                        }
                    });
        } catch (RuntimeException e) {
            permits.release();
            transportErrors.increment();
            firstError.compareAndSet(null, e.toString());
        }
    }

    private void answered(int index, long dueNanos, long sentAt, HttpResponse<String> response, Throwable error) {
        long now = System.nanoTime();
        lastAnswer.accumulateAndGet(now, Math::max);
        if (error != null) {
            transportErrors.increment();
            firstError.compareAndSet(null, error.getCause() != null ? error.getCause().toString() : error.toString());
            return;
        }
        byStatus.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
        if (response.statusCode() / 100 != 2) {
            rejected.increment();
            firstError.compareAndSet(null, "HTTP " + response.statusCode() + ": " + snippet(response.body()));
            return;
        }
        String jobId = jobIdOf(response.body());
        if (jobId == null) {
            withoutJobId.increment();
            firstError.compareAndSet(null, "HTTP " + response.statusCode() + " without a jobId: " + snippet(response.body()));
            return;
        }
        accepted.increment();
        ackLatency.recordNanos(now - dueNanos);
        serviceTime.recordNanos(now - sentAt);
        if (!ledger.accepted(jobId, index, dueNanos)) {
            duplicateJobIds.increment();
        }
    }

    public long sent() {
        return sent.sum();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long failedRequests() {
        return rejected.sum() + transportErrors.sum() + withoutJobId.sum();
    }

    /** Waits until every request sent has been answered (or has timed out); false if {@code timeout} ran out first. */
    public boolean awaitAnswers(Duration timeout) throws InterruptedException {
        if (!permits.tryAcquire(concurrency, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        permits.release(concurrency);
        return true;
    }

    public Counts counts() {
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
        long first = firstDue.get();
        long last = lastAnswer.get();
        double span = first == Long.MAX_VALUE || last == Long.MIN_VALUE ? 0 : Math.max(0, last - first) / 1e9;
        return new Counts(sent.sum(), accepted.sum(), rejected.sum(), transportErrors.sum(), withoutJobId.sum(),
                duplicateJobIds.sum(), statuses, firstError.get(), ackLatency.summary(), serviceTime.summary(),
                sendLag.summary(), span);
    }

    private static String jobIdOf(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            JsonNode jobId = json == null ? null : json.get("jobId");
            return jobId == null || !jobId.isTextual() || jobId.asText().isBlank() ? null : jobId.asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static String snippet(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
