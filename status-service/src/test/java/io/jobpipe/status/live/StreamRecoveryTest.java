package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.config.ReadModelProperties;
import io.jobpipe.status.health.ReadModelHealthIndicator;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.EventKey;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import io.jobpipe.status.store.ReadModelUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.ScheduledExecutorTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE streams while the database does not answer: they stay open, wait in {@link ReadModelRecovery} (one probe for
 * all of them, not a retry each), and resume after the last seq each sent once it answers again.
 */
class StreamRecoveryTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final int STREAMS = 200;

    private final AtomicBoolean down = new AtomicBoolean(true);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger failedReads = new AtomicInteger();
    private final ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);

    @AfterEach
    void stop() {
        scheduled.shutdownNow();
    }

    /** Two events and a COMPLETED job row; every read throws while {@link #down}. */
    private final class FlakyReadModel extends JobReadModel {
        FlakyReadModel() {
            super(null, null);
        }

        private void check() {
            if (down.get()) {
                failedReads.incrementAndGet();
                throw new ReadModelUnavailableException(new SQLTransientConnectionException("pool timeout"));
            }
        }

        @Override
        public List<EventEntity> eventsAfter(String jobId, long afterSeq, int limit) {
            check();
            return List.of(event(jobId, 1), event(jobId, 2)).stream().filter(e -> e.seq() > afterSeq).toList();
        }

        @Override
        public TailPage tailAfter(String jobId, long afterSeq, int limit) {
            check();
            return new TailPage(eventsAfter(jobId, afterSeq, limit), 2L, "COMPLETED");
        }

        @Override
        public Optional<JobEntity> jobRow(String jobId) {
            check();
            return Optional.of(new JobEntity(jobId, null, null, null, null, null, "COMPLETED", null, null, 2, null, null,
                    null, T0, T0, T0, null));
        }

        private EventEntity event(String jobId, long seq) {
            return new EventEntity(new EventKey(jobId, seq), "evt-" + seq, "StageDispatched", T0, "{\"seq\":" + seq + "}");
        }
    }

    /** Up when the database is; counts the probes. */
    private final class FlakyHealth extends ReadModelHealthIndicator {
        FlakyHealth() {
            super(null, new ReadModelProperties(Duration.ofMillis(500), Duration.ofMillis(500), 1));
        }

        @Override
        public HealthResult check() {
            probes.incrementAndGet();
            return HealthResult.builder("read-model", down.get() ? HealthStatus.DOWN : HealthStatus.UP).build();
        }
    }

    @Test
    void shouldKeepStreamsOpenWhileTheDatabaseIsDownAndResumeAllOfThemWithOneProbe() throws Exception {
        LiveEventsProperties config = new LiveEventsProperties(Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofMillis(200), 200, Duration.ofSeconds(1), 4, 0, 0, 0, 2);
        ScheduledExecutorTaskScheduler scheduler = new ScheduledExecutorTaskScheduler(scheduled);
        ReadModelRecovery recovery = new ReadModelRecovery(new FlakyHealth(), scheduler, config);
        JobEventStreams streams = new JobEventStreams(new FlakyReadModel(), null,
                new JobEventNotifier(config, "jdbc:unused", "u", "p"), recovery, scheduler, config,
                new SimpleMeterRegistry(), null);
        List<List<String>> received = new CopyOnWriteArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Disposable> subscriptions = new CopyOnWriteArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            List<String> frames = new CopyOnWriteArrayList<>();
            received.add(frames);
            subscriptions.add(streams.stream("job-" + i, 0, () -> { })
                    .subscribe(bytes -> frames.addAll(List.of(new String(bytes, StandardCharsets.UTF_8)
                                    // An element may carry several frames (a page of events is written at once).
                                    .split("(?<=\n\n)"))), e -> errors.incrementAndGet(),
                            completed::incrementAndGet));
        }

        await().atMost(Duration.ofSeconds(5)).failFast(() -> errors.get() > 0).until(() -> recovery.waitingCount() == STREAMS);
        Thread.sleep(600);
        assertThat(errors.get()).as("no stream fails because the database does not answer").isZero();
        assertThat(failedReads.get()).as("each stream tried once, then waited").isEqualTo(STREAMS);
        assertThat(probes.get()).as("one probe every 200 ms for all streams").isBetween(1, 6);
        assertThat(received).allSatisfy(frames -> assertThat(frames).allMatch(f -> f.startsWith(":")));
        assertThat(received.get(0)).as("keep-alive comments go on").anyMatch(f -> f.contains("keep-alive"));

        down.set(false);

        await().atMost(Duration.ofSeconds(5)).until(() -> completed.get() == STREAMS);
        assertThat(errors.get()).isZero();
        assertThat(received).allSatisfy(frames -> assertThat(frames.stream().filter(f -> f.startsWith("id:")).toList())
                .containsExactly("id: 1\nevent: StageDispatched\ndata: {\"seq\":1}\n\n",
                        "id: 2\nevent: StageDispatched\ndata: {\"seq\":2}\n\n"));
        assertThat(recovery.waitingCount()).isZero();
        subscriptions.forEach(Disposable::dispose);
        streams.close();
    }
}
