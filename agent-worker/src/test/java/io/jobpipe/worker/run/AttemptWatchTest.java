package io.jobpipe.worker.run;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptWatchTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch timedOut = new CountDownLatch(1);
    private final AttemptWatch.Actions actions = new AttemptWatch.Actions() {
        @Override
        public void heartbeat(Duration ranFor) {
            calls.add("heartbeat");
        }

        @Override
        public void timedOut(Duration timeout) {
            calls.add("timedOut " + timeout.toMillis());
            timedOut.countDown();
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldHeartbeatALongAgentThenInterruptItWhenItsTimeoutHasPassedSinceItStarted() throws Exception {
        Instant now = Instant.now();
        // Dispatched 2 s ago with a 4.5 s timeout: the agent still gets 4.5 s from its start.
        StageRequested request = request(now.minusSeconds(2), now.plusMillis(2_500));
        AttemptWatch watch = AttemptWatch.start(scheduler, Thread.currentThread(), request, now, 0.25,
                Duration.ofSeconds(30), actions);
        long started = System.nanoTime();

        boolean interrupted = false;
        try {
            Thread.sleep(20_000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(interrupted).isTrue();
        assertThat(ranMs).isBetween(4_000L, 9_000L);
        assertThat(timedOut.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).last().isEqualTo("timedOut 4500");
        assertThat(calls).filteredOn("heartbeat"::equals).as("every 1.125 s while it ran").hasSizeGreaterThanOrEqualTo(3);
        assertThat(watch.finish()).as("the timeout came first").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt is left for the thread's next task").isFalse();
    }

    @Test
    void shouldStopWatchingAnAgentThatReturnsInTime() throws Exception {
        Instant now = Instant.now();
        AttemptWatch watch = AttemptWatch.start(scheduler, Thread.currentThread(), request(now, now.plusSeconds(4)),
                now, 0.25, Duration.ofSeconds(30), actions);

        Thread.sleep(200);

        assertThat(watch.finish()).isTrue();
        Thread.sleep(1_500);
        assertThat(calls).as("nothing after it returned").isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void shouldHeartbeatBeforeTheRequestsOwnDeadlineAndNotForOneAlreadyPast() {
        Duration interval = Duration.ofSeconds(15);

        assertThat(AttemptWatch.firstHeartbeat(Duration.ofSeconds(30), interval)).isEqualTo(interval);
        assertThat(AttemptWatch.firstHeartbeat(Duration.ofSeconds(20), interval)).isEqualTo(Duration.ofSeconds(5));
        assertThat(AttemptWatch.firstHeartbeat(Duration.ofSeconds(10), interval)).isEqualTo(Duration.ZERO);
        assertThat(AttemptWatch.firstHeartbeat(Duration.ofSeconds(-5), interval)).isEqualTo(interval);
    }

    @Test
    void shouldTakeTheTimeoutFromTheRequestOrTheFallback() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(AttemptWatch.timeoutOf(request(t, t.plusSeconds(45)), Duration.ofSeconds(30))).hasSeconds(45);
        assertThat(AttemptWatch.timeoutOf(request(t, t), Duration.ofSeconds(30))).hasSeconds(30);
        assertThat(AttemptWatch.timeoutOf(request(t, null), Duration.ofSeconds(30))).hasSeconds(30);
    }

    private static StageRequested request(Instant dispatchedAt, Instant deadline) {
        return new StageRequested("evt", "job_1", dispatchedAt, "default", "act", 4, 1, AgentSpec.builtin("act"),
                Json.MAPPER.createObjectNode(), deadline);
    }
}
