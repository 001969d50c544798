package io.jobpipe.runtime.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Latency at a fixed arrival rate: requests fired on the {@link ArrivalSchedule}'s grid by a {@link Pacer}, at
 * most {@code maxInFlight} at once; every latency is taken from the request's scheduled time, so a stall (of the
 * server or of the bound) is counted, not hidden.
 */
final class OpenLoop {
    private final HttpClient client;
    private final LongFunction<HttpRequest> requests;
    private final int maxInFlight;

    OpenLoop(HttpClient client, LongFunction<HttpRequest> requests, int maxInFlight) {
        this.client = client;
        this.requests = requests;
        this.maxInFlight = maxInFlight;
    }

    LoadResult run(ArrivalSchedule schedule, Duration answerTimeout) throws InterruptedException {
        Answers answers = new Answers();
        Semaphore permits = new Semaphore(maxInFlight);
        LongAdder sent = new LongAdder();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        new Pacer().run(schedule, start, (index, dueNanos) -> {
            permits.acquire();
            sent.increment();
            HttpRequest request = requests.apply(index);
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                try {
                    answers.record(response, error, System.nanoTime() - dueNanos);
                } finally {
                    permits.release();
                }
            });
        });
        if (!permits.tryAcquire(maxInFlight, answerTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("open loop: requests still unanswered after " + answerTimeout);
        }
        permits.release(maxInFlight);
        answers.window(sent.sum(), schedule.count() / schedule.ratePerSecond());
        return answers.result();
    }
}
