package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobReadModel;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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

    public Optional<JobView> await(String jobId) {
        Optional<JobView> job = readModel.job(jobId);
        if (job.isPresent() || config.arrivalGrace().isZero() || !waiters.tryAcquire()) {
            return job;
        }
        try {
            return awaitProjection(jobId);
        } finally {
            waiters.release();
        }
    }

    private Optional<JobView> awaitProjection(String jobId) {
        Optional<JobView> job;
        CountDownLatch projected = new CountDownLatch(1);
        try (JobEventNotifier.Subscription ignored = notifier.subscribe(jobId, projected::countDown)) {
            // Subscribed before this second look, so a projection in between still wakes us.
            job = readModel.job(jobId);
            if (job.isEmpty() && projected.await(config.arrivalGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                job = readModel.job(jobId);
            }
            return job;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return readModel.job(jobId);
        }
    }
}
