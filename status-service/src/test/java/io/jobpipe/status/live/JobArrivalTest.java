package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobReadModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
            super(null, null, null);
        }

        @Override
        public synchronized Optional<JobView> job(String jobId) {
            if (++lookups == 2) {
                secondLook.countDown();
            }
            return Optional.empty();
        }
    }

    private static JobArrival arrival(JobReadModel readModel, int waiters) {
        LiveEventsProperties config = new LiveEventsProperties(Duration.ofSeconds(15), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 200, GRACE, waiters, 0, 0, 0, 1);
        // Not started (@PostConstruct), so no LISTEN connection: subscriptions only.
        return new JobArrival(readModel, new JobEventNotifier(config, "jdbc:unused", "u", "p"), config);
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
