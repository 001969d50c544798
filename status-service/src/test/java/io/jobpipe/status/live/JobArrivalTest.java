package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.config.TopicTailProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for a just-accepted job is bounded in time and in how many requests may wait at once. */
class JobArrivalTest {
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** A read model that never finds the job, and counts the lookups so a test knows a wait has begun. */
    private static final class NoJobs extends JobReadModel {
        final CountDownLatch secondLook = new CountDownLatch(1);
        private int lookups;

        NoJobs() {
            super(null, null);
        }

        @Override
        public synchronized Optional<JobView> job(String jobId) {
            if (++lookups == 2) {
                secondLook.countDown();
            }
            return Optional.empty();
        }

        @Override
        public synchronized Optional<JobEntity> jobRow(String jobId) {
            return Optional.empty();
        }
    }

    /** A read model whose jobs appear when a test says they are projected. */
    private static final class ArrivingJobs extends JobReadModel {
        final java.util.Set<String> projected = java.util.concurrent.ConcurrentHashMap.newKeySet();

        ArrivingJobs() {
            super(null, null);
        }

        @Override
        public Optional<JobEntity> jobRow(String jobId) {
            return projected.contains(jobId) ? Optional.of(new JobEntity(jobId, null, null, null, null, null, "RUNNING",
                    null, null, 1, null, null, null, Instant.EPOCH, Instant.EPOCH, null, null)) : Optional.empty();
        }
    }

    private static JobArrival arrival(JobReadModel readModel, int waiters) {
        return arrival(readModel, waiters, new JobEventNotifier(config(waiters), "jdbc:unused", "u", "p"));
    }

    private static JobArrival arrival(JobReadModel readModel, int waiters, JobEventNotifier notifier) {
        // The notifier is not started (@PostConstruct), so no LISTEN connection: subscriptions only.
        return new JobArrival(readModel, notifier, config(waiters),
                new TopicArrivals(new TopicTailProperties(true, Duration.ofSeconds(10), 1 << 20)), Runnable::run);
    }

    private static LiveEventsProperties config(int waiters) {
        return new LiveEventsProperties(Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(1), 200, GRACE,
                waiters, 0, 0, 0, 1);
    }

    @Test
    void shouldFindAStreamsJobWhenItsNotificationComesWithoutHoldingTheCallersThread() throws Exception {
        ArrivingJobs readModel = new ArrivingJobs();
        JobEventNotifier notifier = new JobEventNotifier(config(1), "jdbc:unused", "u", "p");
        JobArrival arrival = arrival(readModel, 1, notifier);

        CompletableFuture<Optional<JobEntity>> row = arrival.awaitRowAsync("job_late");
        assertThat(row).as("returned while the job is not projected yet").isNotDone();
        readModel.projected.add("job_late");
        notifier.wake("job_late");

        assertThat(row.get(GRACE.toMillis() / 2, TimeUnit.MILLISECONDS)).map(JobEntity::jobId).contains("job_late");
    }

    @Test
    void shouldLetMoreStreamsWaitAtOnceThanTheBlockingWaitersCap() throws Exception {
        // arrival-waiters 1 holds GET /jobs/{id}; streams wait without a thread, up to max-streams (0 here: no cap).
        JobArrival arrival = arrival(new NoJobs(), 1);
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Optional<JobEntity>>> waits = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            waits.add(arrival.awaitRowAsync("job_unknown_" + i));
        }

        assertThat(waits).as("all 500 wait").noneMatch(CompletableFuture::isDone);
        assertThat(Thread.activeCount() - threadsBefore).as("threads started for 500 waits").isLessThan(10);
        long start = System.nanoTime();
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(GRACE.toMillis() * 3, TimeUnit.MILLISECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.multipliedBy(2));
        assertThat(waits).allMatch(wait -> wait.join().isEmpty());
    }

    @Test
    void shouldAnswerAnUnknownJobAfterTheGrace() {
        long start = System.nanoTime();
        assertThat(arrival(new NoJobs(), 4).await("job_unknown")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(GRACE);
    }

    @Test
    void shouldAnswerAtOnceWhenAsManyRequestsAreAlreadyWaiting() throws Exception {
        NoJobs readModel = new NoJobs();
        JobArrival arrival = arrival(readModel, 1);
        CompletableFuture<Optional<JobView>> first = CompletableFuture.supplyAsync(() -> arrival.await("job_a"));
        assertThat(readModel.secondLook.await(5, TimeUnit.SECONDS)).as("the first request is waiting").isTrue();

        long start = System.nanoTime();
        assertThat(arrival.await("job_b")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.dividedBy(2));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
