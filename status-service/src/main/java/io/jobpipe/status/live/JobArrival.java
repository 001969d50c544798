package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds a job that ingest may have accepted a moment ago. Ingest answers 202 as soon as the request is in
 * Kafka; the job reaches this read model a few hops later. A client that follows the 202's links at once
 * must not be told the job does not exist, so an unknown id is waited for (woken by the projection's
 * notification) up to {@code jobpipe.status.live.arrival-grace} before the answer is 404.
 * Callers run on the blocking executor: the wait parks that thread, never an event loop; at most
 * {@code arrival-waiters} requests wait at once, so ids nobody was given cannot tie up threads.
 */
@Singleton
public class JobArrival {
    private final JobReadModel readModel;
    private final JobEventNotifier notifier;
    private final LiveEventsProperties config;
    private final Semaphore waiters;

    public JobArrival(JobReadModel readModel, JobEventNotifier notifier, LiveEventsProperties config) {
        this.readModel = readModel;
        this.notifier = notifier;
        this.config = config;
        this.waiters = new Semaphore(Math.max(0, config.arrivalWaiters()));
    }

    /** The job with its stages, as {@code GET /jobs/{id}} shows it. */
    public Optional<JobView> await(String jobId) {
        return await(jobId, readModel::job);
    }

    /** The job's row alone (its state and last seq: all an SSE stream needs to start). */
    public Optional<JobEntity> awaitRow(String jobId) {
        return await(jobId, readModel::jobRow);
    }

    private <T> Optional<T> await(String jobId, Function<String, Optional<T>> read) {
        Optional<T> job = read.apply(jobId);
        if (job.isPresent() || config.arrivalGrace().isZero() || !waiters.tryAcquire()) {
            return job;
        }
        try {
            return awaitProjection(jobId, read);
        } finally {
            waiters.release();
        }
    }

    private <T> Optional<T> awaitProjection(String jobId, Function<String, Optional<T>> read) {
        Optional<T> job;
        CountDownLatch projected = new CountDownLatch(1);
        try (JobEventNotifier.Subscription ignored = notifier.subscribe(jobId, projected::countDown)) {
            // Subscribed before this second look, so a projection in between still wakes us.
            job = read.apply(jobId);
            if (job.isEmpty() && projected.await(config.arrivalGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                job = read.apply(jobId);
            }
            return job;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read.apply(jobId);
        }
    }
}
