package io.jobpipe.runtime.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Maximum throughput: {@code connections} requests always in flight, each answer sending the next at once, for
 * {@code warmUp} (not counted) and then {@code measure}. Only answers that arrive inside the measured window count.
 * Run it several times on the same {@link Answers} to add up windows (the bench alternates endpoints between them).
 */
final class ClosedLoop {
    private final HttpClient client;
    private final LongFunction<HttpRequest> requests;
    private final int connections;

    ClosedLoop(HttpClient client, LongFunction<HttpRequest> requests, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1, got " + connections);
        }
        this.client = client;
        this.requests = requests;
        this.connections = connections;
    }

    /**
     * One warm-up and measured window; its answers are added to {@code answers}.
     *
     * @return the 2xx answers per second of this window alone
     */
    double run(Duration warmUp, Duration measure, Answers answers) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmUp.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        Answers window = new Answers();
        LongAdder sentInWindow = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        CountDownLatch slotsDone = new CountDownLatch(connections);
        Loop loop = new Loop(window, answers, sentInWindow, sequence, windowStart, windowEnd, slotsDone);
        for (int i = 0; i < connections; i++) {
            loop.next();
        }
        long deadline = windowEnd + TimeUnit.SECONDS.toNanos(30) - System.nanoTime();
        if (!slotsDone.await(deadline, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("requests still unanswered 30 s after the measured window");
        }
        double seconds = measure.toNanos() / 1e9;
        answers.window(sentInWindow.sum(), seconds);
        window.window(sentInWindow.sum(), seconds);
        return window.result().acceptedPerSecond();
    }

    private final class Loop {
        private final Answers window;
        private final Answers answers;
        private final LongAdder sentInWindow;
        private final AtomicLong sequence;
        private final long windowStart;
        private final long windowEnd;
        private final CountDownLatch slotsDone;

        Loop(Answers window, Answers answers, LongAdder sentInWindow, AtomicLong sequence, long windowStart, long windowEnd,
             CountDownLatch slotsDone) {
            this.window = window;
            this.answers = answers;
            this.sentInWindow = sentInWindow;
            this.sequence = sequence;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.slotsDone = slotsDone;
        }

        void next() {
            long sentAt = System.nanoTime();
            if (sentAt >= windowEnd) {
                slotsDone.countDown();
                return;
            }
            if (sentAt >= windowStart) {
                sentInWindow.increment();
            }
            HttpRequest request;
            try {
                request = requests.apply(sequence.incrementAndGet());
            } catch (RuntimeException e) {
                slotsDone.countDown();
                throw e;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long now = System.nanoTime();
                if (now >= windowStart && now < windowEnd) {
                    window.record(response, error, now - sentAt);
                    answers.record(response, error, now - sentAt);
                }
                next();
            });
        }
    }
}
