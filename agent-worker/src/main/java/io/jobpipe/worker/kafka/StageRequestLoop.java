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
 * (so one consumer feeds several agents); the poll thread, the only one that touches the consumer, waits until
 * every record of the batch is settled or half of its lock is gone, whichever is first, and then acknowledges each
 * record before it polls again (explicit acknowledgement demands it):
 * <ul>
 *   <li>ACCEPT once its result (or poison copy) is in Kafka, RELEASE if the result could not be written
 *       (redelivered, with a higher delivery count), REJECT if even the poison copy failed, RELEASE unprocessed
 *       if its agent had not started when 80% of its first lock was gone (the pool was busy);</li>
 *   <li>RENEW while its agent still runs or waits for an agent thread (KIP-1222): the broker restarts the record's
 *       lock, and the consumer hands the record back on a later poll, where it is treated like the rest of a batch
 *       again. So an agent may run longer than the lock (up to its stage timeout) without its record going to a
 *       second worker.</li>
 * </ul>
 * Acknowledgements are not committed by a request of their own: they ride on the next poll's ShareFetch or
 * ShareAcknowledge, which follows at once (and {@code close()} commits the last ones). While renewed records are on
 * their way back the consumer acquires no new ones. Limit: a renewal the broker refuses (the acknowledgement commit
 * callback says so) ends the delivery; the agent goes on, and the record may run on another worker as well (the
 * agents' work is idempotent per {@code jobId:stage}, and the orchestrator ignores a late second result).
 */
public final class StageRequestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StageRequestLoop.class);
    private static final double LOCK_SHARE_TO_START = 0.8;
    /** A running agent's lock is renewed once this share of it is gone; the rest covers the renewal's round trip. */
    private static final double LOCK_SHARE_TO_RENEW = 0.5;
    /** Renewed records come back only on a later poll: poll briefly meanwhile, so they are acknowledged soon. */
    private static final Duration RENEWAL_POLL_TIMEOUT = Duration.ofMillis(100);

    private final String name;
    private final ShareConsumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final StageRecordHandler handler;
    private final Executor agents;
    private final WorkerStats stats;
    private final Duration pollTimeout;
    private final Duration sendTimeout;
    private final LockRenewals renewals = new LockRenewals();
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
            // Called on this thread, from within poll() or close().
            consumer.setAcknowledgementCommitCallback((offsets, error) -> {
                if (error != null) {
                    stats.ackCommitFailed();
                    LOG.warn("acknowledgements of {} not committed: {}", offsets, error.toString());
                    renewals.refused(offsets, error);
                }
            });
            consumer.subscribe(topics);
            while (keepPolling()) {
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

    /**
     * Until stopped; a stopping loop still brings back the records whose locks it renewed, to acknowledge them once
     * their agents are done (an interrupted thread cannot poll, so it gives them up).
     */
    private boolean keepPolling() {
        return !closing || !renewals.isEmpty() && !Thread.currentThread().isInterrupted();
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(renewals.isEmpty() ? pollTimeout
                : min(pollTimeout, RENEWAL_POLL_TIMEOUT));
        stats.polled(name);
        long polledAt = System.nanoTime();
        long lockMs = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(ShareGroupSetup.LOCK_DURATION_MS);
        renewals.expire(polledAt, lockMs);
        if (records.isEmpty()) {
            return;
        }
        long startBy = polledAt + TimeUnit.MILLISECONDS.toNanos(Math.round(lockMs * LOCK_SHARE_TO_START));
        // A renewed record's lock restarted when the broker took its RENEW, a little after it was sent.
        long lockedSince = polledAt;
        List<InFlightRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            InFlightRecord renewed = renewals.takeBack(InFlightRecord.Key.of(record));
            if (renewed != null) {
                lockedSince = earlier(lockedSince, renewed.renewedAtNanos());
                batch.add(renewed);
            } else {
                batch.add(start(record, startBy));
            }
        }
        stats.acquired(name, batch.size() + renewals.size());
        acknowledge(batch, lockedSince + TimeUnit.MILLISECONDS.toNanos(Math.round(lockMs * LOCK_SHARE_TO_RENEW)), lockMs);
        // No commitAsync(): the acknowledgements go out with the next poll's ShareFetch, one request fewer per batch.
    }

    /**
     * Acknowledges every record of the batch, as the consumer requires before the next poll: finally once its result
     * is in Kafka, or with RENEW if its agent still runs (or waits for an agent thread) at {@code renewBy}.
     */
    private void acknowledge(List<InFlightRecord> batch, long renewBy, long lockMs) {
        awaitReady(batch, renewBy);
        int notStarted = 0;
        for (InFlightRecord record : batch) {
            if (record.readyToAcknowledge()) {
                PendingAck ack = record.settled().join();
                if (!ack.started()) {
                    notStarted++;
                }
                acknowledge(record.record(), ack.await(sendTimeout));
            } else {
                // Running, or still queued for an agent thread: a queued record keeps its place until the pool
                // takes it, and is released unprocessed then if 80% of its first lock is gone.
                consumer.acknowledge(record.record(), AcknowledgeType.RENEW);
                renewals.sent(record, System.nanoTime());
                stats.lockRenewed(handler.stageOf(record.record()));
            }
        }
        if (notStarted > 0) {
            LOG.warn("{}: released {} records not started within {}% of their {} ms lock", name, notStarted,
                    Math.round(LOCK_SHARE_TO_START * 100), lockMs);
        }
    }

    /** Waits until every record of the batch is ready to be acknowledged, or until {@code deadline}. */
    private void awaitReady(List<InFlightRecord> batch, long deadline) {
        try {
            for (InFlightRecord record : batch) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                record.awaitReady(left);
            }
        } catch (InterruptedException e) {
            // Acknowledge what is ready, renew the rest; stop() follows an interrupt of the poll thread.
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /**
     * Runs the record's agent on the pool, unless the loop is closing or 80% of the record's first lock is gone
     * (renewals do not count: a record that waited that long for an agent thread goes to a less busy worker). Its
     * future settles when the agent is done, or earlier if it runs out of time (see {@link StageRecordHandler}).
     */
    private InFlightRecord start(ConsumerRecord<byte[], byte[]> record, long startBy) {
        InFlightRecord inFlight = new InFlightRecord(record);
        CompletableFuture<PendingAck> settled = inFlight.settled();
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
        return inFlight;
    }

    private void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
        consumer.acknowledge(record, type);
        stats.acknowledged(name, type);
    }

    private static long earlier(long nanosA, long nanosB) {
        return nanosA - nanosB <= 0 ? nanosA : nanosB;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Asks the loop to finish its batch (bringing back the records it renewed), commit acknowledgements and close. */
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
