package io.jobpipe.status.live;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Read-your-writes for {@code GET /jobs/{id}?waitFor=…}: waits until the job is in one of the wanted states, or
 * rests in a terminal state that is not one of them (a dead letter will not complete without an operator, so
 * waiting on would only burn the timeout), or the timeout passes. Woken by the projection's notifications for the
 * job, and reading only the job's row until the wait ends. Each wait parks a blocking-executor thread, so at most
 * {@code max-waits} run at once; past that the caller is told to come back ({@link #tryWait} is empty).
 */
@Singleton
public class JobStateWait {
    /** How a wait ended. */
    public enum Outcome {
        /** The job is in a wanted state. */
        REACHED,
        /** The job rests in a terminal state that was not wanted. */
        ENDED,
        /** The timeout passed first. */
        TIMED_OUT
    }

    /** The job when the wait ended (empty: still unknown), and why it ended. */
    public record Result(Optional<JobView> job, Outcome outcome) {
    }

    private final JobReadModel readModel;
    private final JobEventNotifier notifier;
    private final Semaphore places;
    private final int maxWaits;

    public JobStateWait(JobReadModel readModel, JobEventNotifier notifier, LiveEventsProperties config) {
        this.readModel = readModel;
        this.notifier = notifier;
        this.maxWaits = Math.max(0, config.maxWaits());
        this.places = new Semaphore(maxWaits);
    }

    public int maxWaits() {
        return maxWaits;
    }

    /** Waits as described; empty when {@code max-waits} waits are running already. */
    public Optional<Result> tryWait(String jobId, Set<JobStatus> wanted, Duration timeout) {
        if (!places.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(await(jobId, wanted, timeout));
        } finally {
            places.release();
        }
    }

    private Result await(String jobId, Set<JobStatus> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore changed = new Semaphore(0);
        try (JobEventNotifier.Subscription ignored = notifier.subscribe(jobId, changed::release)) {
            while (true) {
                // Subscribed before this read, so a change after it wakes the wait below.
                Optional<JobEntity> row = readModel.jobRow(jobId);
                Outcome outcome = row.map(r -> outcome(JobStatus.valueOf(r.state()), wanted)).orElse(null);
                long remaining = deadline - System.nanoTime();
                if (outcome != null || remaining <= 0) {
                    return new Result(readModel.job(jobId), outcome != null ? outcome : Outcome.TIMED_OUT);
                }
                changed.tryAcquire(remaining, TimeUnit.NANOSECONDS);
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(readModel.job(jobId), Outcome.TIMED_OUT);
        }
    }

    /** Whether a job in {@code state} ends the wait, and how; null while it should go on. */
    static Outcome outcome(JobStatus state, Set<JobStatus> wanted) {
        if (wanted.contains(state)) {
            return Outcome.REACHED;
        }
        return state.terminal() ? Outcome.ENDED : null;
    }
}
