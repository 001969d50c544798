package io.jobpipe.worker.kafka;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One share consumer in group {@code <namespace>jobpipe-agent-worker}, on its own poll thread.
 * <p>
 * Input: {@code jobpipe.stage.<stage>} for every stage of the catalog; key = jobId, value = StageRequested.
 * Output: {@code jobpipe.stage.results} (StageSucceeded/StageFailed, key = jobId, the agent span's traceparent);
 * failure route: unreadable records to {@code jobpipe.poison} (raw bytes + poison headers).
 * <p>
 * Each poll acquires up to {@code max-poll-records} records under the group's acquisition lock
 * ({@code share.record.lock.duration.ms}, {@link ShareGroupSetup}). Their agents run on the process's agent pool
 * (so one consumer feeds several agents); the poll thread, the only one that touches the consumer, then
 * acknowledges each record: ACCEPT once its result (or poison copy) is in Kafka, RELEASE if the result could
 * not be written (redelivered, with a higher delivery count), REJECT if even the poison copy failed.
 * Acknowledgements are not committed by a request of their own: they ride on the next poll's ShareFetch,
 * which follows at once (and {@code close()} commits the last ones). Limit: a batch slower than the lock
 * loses it; records not started when 80% of the lock is gone are released unprocessed, and a record whose
 * agent outlived the lock may run twice (the agents' work is idempotent per {@code jobId:stage}, and the
 * orchestrator ignores a late second result).
 */
public final class StageRequestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StageRequestLoop.class);
    private static final double LOCK_SHARE_TO_START = 0.8;

    private final String name;
    private final ShareConsumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final StageRecordHandler handler;
    private final Executor agents;
    private final WorkerStats stats;
    private final Duration pollTimeout;
    private final Duration sendTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    public StageRequestLoop(String name, ShareConsumer<byte[], byte[]> consumer, Collection<String> topics,
                            StageRecordHandler handler, Executor agents, WorkerStats stats, Duration pollTimeout,
                            Duration sendTimeout) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.agents = agents;
        this.stats = stats;
        this.pollTimeout = pollTimeout;
        this.sendTimeout = sendTimeout;
    }

    @Override
    public void run() {
        stats.loopStarted(name);
        try {
            consumer.setAcknowledgementCommitCallback((offsets, error) -> {
                if (error != null) {
                    stats.ackCommitFailed();
                    LOG.warn("acknowledgements of {} not committed: {}", offsets, error.toString());
                }
            });
            consumer.subscribe(topics);
            while (!closing) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    if (!closing) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    // A broken poll must not end the thread: report it, wait a little, and poll again.
                    stats.loopError(name, e.toString());
                    LOG.error("{}: poll loop error; retrying", name, e);
                    pause(Duration.ofSeconds(1));
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("{}: close failed: {}", name, e.toString());
            }
            stats.loopStopped(name);
            stopped.countDown();
        }
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
        stats.polled(name);
        if (records.isEmpty()) {
            return;
        }
        stats.acquired(name, records.count());
        long lockMs = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(ShareGroupSetup.LOCK_DURATION_MS);
        long startBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.round(lockMs * LOCK_SHARE_TO_START));
        List<CompletableFuture<PendingAck>> running = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            running.add(start(record, startBy));
        }
        int notStarted = 0;
        for (CompletableFuture<PendingAck> outcome : running) {
            PendingAck ack = outcome.join();
            if (!ack.started()) {
                notStarted++;
            }
            acknowledge(ack.record(), ack.await(sendTimeout));
        }
        if (notStarted > 0) {
            LOG.warn("{}: released {} records not started within {}% of their {} ms lock", name, notStarted,
                    Math.round(LOCK_SHARE_TO_START * 100), lockMs);
        }
        // No commitAsync(): the acknowledgements go out with the next poll's ShareFetch, one request fewer per batch.
    }

    /**
     * Runs the record's agent on the pool, unless the loop is closing or the record's lock is mostly gone. The
     * future settles when the agent is done, or earlier if it runs out of time (see {@link StageRecordHandler}).
     */
    private CompletableFuture<PendingAck> start(ConsumerRecord<byte[], byte[]> record, long startBy) {
        CompletableFuture<PendingAck> settled = new CompletableFuture<>();
        try {
            agents.execute(() -> {
                if (closing || System.nanoTime() - startBy > 0) {
                    settled.complete(PendingAck.notStarted(record));
                    return;
                }
                try {
                    settled.complete(handler.handle(record, settled));
                } catch (RuntimeException | Error e) {
                    // The handler does not throw, but an agent's VirtualMachineError (out of memory) passes through
                    // it on purpose. Every record of the batch must still be acknowledged before the next poll, or
                    // the consumer refuses to poll again: this one goes back for redelivery.
                    LOG.error("{}: handling {}-{}@{} failed; releasing it", name, record.topic(), record.partition(),
                            record.offset(), e);
                    settled.complete(PendingAck.failed(record, AcknowledgeType.RELEASE, "request", e));
                }
            });
        } catch (RejectedExecutionException e) {
            // The pool is shut down: the worker is stopping.
            settled.complete(PendingAck.notStarted(record));
        }
        return settled;
    }

    private void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
        consumer.acknowledge(record, type);
        stats.acknowledged(name, type);
    }

    /** Asks the loop to finish its batch, commit acknowledgements and close. */
    public void stop() {
        closing = true;
        consumer.wakeup();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pause(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }
}
