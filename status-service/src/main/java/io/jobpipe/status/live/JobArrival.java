package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import jakarta.annotation.PreDestroy;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Finds a job that ingest may have accepted a moment ago. Ingest answers 202 as soon as the request is in
 * Kafka; the job reaches this read model a few hops later. A client that follows the 202's links at once
 * must not be told the job does not exist, so an unknown id is waited for (woken by the projection's
 * notification) up to {@code jobpipe.status.live.arrival-grace} before the answer is 404.
 * Callers run on the blocking executor: {@link #await} parks that thread, never an event loop; at most
 * {@code arrival-waiters} requests wait so at once, so ids nobody was given cannot tie up threads.
 * {@link #awaitRowAsync}, for SSE streams, parks no thread: its wait is a subscription and a timer, and its read
 * after the notification runs on a small pool of its own ({@code read-threads}), so as many streams may wait as may
 * be open ({@code max-streams}). A frontend opens its job's stream right after the 202, so under load many streams
 * wait at once for the projection: with a thread each, the 65th got a 404 for a job that existed a moment later.
 */
@Singleton
public class JobArrival {
    private final JobReadModel readModel;
    private final JobEventNotifier notifier;
    private final LiveEventsProperties config;
    private final Semaphore waiters;
    private final Semaphore streamWaiters;
    private final ExecutorService reads;
    private final TopicArrivals topic;
    /** Where an answer from the topic completes: not behind the reads queued on {@link #reads}. */
    private final Executor answers;

    public JobArrival(JobReadModel readModel, JobEventNotifier notifier, LiveEventsProperties config,
                      TopicArrivals topic, @Named(TaskExecutors.BLOCKING) Executor answers) {
        this.topic = topic;
        this.answers = answers;
        this.readModel = readModel;
        this.notifier = notifier;
        this.config = config;
        this.waiters = new Semaphore(Math.max(0, config.arrivalWaiters()));
        this.streamWaiters = new Semaphore(config.maxStreams() > 0 ? config.maxStreams() : Integer.MAX_VALUE);
        AtomicInteger threadNumber = new AtomicInteger();
        // Queue unbounded but never long: a waiting stream reads at most once after its notification.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.readThreads(), config.readThreads(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "jobpipe-arrival-read-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.reads = pool;
    }

    @PreDestroy
    void close() {
        reads.shutdownNow();
    }

    /** The job with its stages, as {@code GET /jobs/{id}} shows it. */
    public Optional<JobView> await(String jobId) {
        return await(jobId, readModel::job);
    }

    /** The job's row alone (its state and last seq: all an SSE stream needs to start). */
    public Optional<JobEntity> awaitRow(String jobId) {
        return await(jobId, readModel::jobRow);
    }

    /**
     * {@link #awaitRow} without parking a thread: the first two looks run on the caller's thread, the read after the
     * job's notification on this class's pool; completes empty after the grace, or at once when
     * {@code max-streams} streams wait already.
     */
    public CompletableFuture<Optional<JobEntity>> awaitRowAsync(String jobId) {
        Optional<JobEntity> job = readModel.jobRow(jobId);
        if (job.isPresent() || config.arrivalGrace().isZero() || !streamWaiters.tryAcquire()) {
            return CompletableFuture.completedFuture(job);
        }
        CompletableFuture<Optional<JobEntity>> found = new CompletableFuture<>();
        AtomicBoolean notified = new AtomicBoolean();
        JobEventNotifier.Subscription subscription = notifier.subscribe(jobId, () -> {
            if (notified.compareAndSet(false, true)) {
                reads.execute(() -> {
                    try {
                        found.complete(readModel.jobRow(jobId));
                    } catch (RuntimeException e) {
                        found.completeExceptionally(e);
                    }
                });
            }
        });
        found.whenComplete((row, failure) -> {
            subscription.close();
            streamWaiters.release();
        });
        found.completeOnTimeout(Optional.empty(), config.arrivalGrace().toMillis(), TimeUnit.MILLISECONDS);
        try {
            // Subscribed before this second look, so a projection in between still wakes us.
            readModel.jobRow(jobId).ifPresent(row -> found.complete(Optional.of(row)));
        } catch (RuntimeException e) {
            found.completeExceptionally(e);
        }
        return found;
    }

    /**
     * Where an SSE stream of {@code jobId} starts: at once when the job's events are arriving from the topic
     * ({@link TopicArrivals}; its row is then not read here: {@link StreamStart#row} is null), else whichever comes
     * first of its first event on the topic and its row in the read model ({@link #awaitRowAsync}); empty when
     * neither came within the grace. The read model's looks run on this class's pool, so the caller returns at once;
     * the topic's answer completes on {@code answers}, never on the topic reader's thread (which serves every job).
     * The first answer wins; the other wait is ended with it (its subscription and its place among the waiters).
     */
    public CompletableFuture<Optional<StreamStart>> awaitStreamStart(String jobId) {
        if (topic.knows(jobId)) {
            return CompletableFuture.completedFuture(Optional.of(new StreamStart(null)));
        }
        CompletableFuture<Optional<StreamStart>> start = new CompletableFuture<>();
        TopicArrivals.Subscription seen = topic.whenSeen(jobId, () -> execute(answers, start,
                () -> start.complete(Optional.of(new StreamStart(null)))));
        execute(reads, start, () -> {
            if (start.isDone()) {
                return;
            }
            CompletableFuture<Optional<JobEntity>> row = awaitRowAsync(jobId);
            row.whenComplete((found, failure) -> {
                if (failure != null) {
                    start.completeExceptionally(failure);
                } else {
                    start.complete(found.map(StreamStart::new));
                }
            });
            start.whenComplete((answer, failure) -> row.complete(Optional.empty()));
        });
        start.whenComplete((answer, failure) -> seen.close());
        return start;
    }

    /** How a stream starts: with the job's row, or (null) from the topic's events, the row read later. */
    public record StreamStart(JobEntity row) {
    }

    private static void execute(Executor executor, CompletableFuture<?> start, Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    start.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            start.completeExceptionally(e);
        }
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
