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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One worker thread: a share consumer in group {@code <namespace>jobpipe-agent-worker}.
 * <p>
 * Input: {@code jobpipe.stage.<stage>} for every stage of the catalog; key = jobId, value = StageRequested.
 * Output: {@code jobpipe.stage.results} (StageSucceeded/StageFailed, key = jobId, the agent span's traceparent);
 * failure route: unreadable records to {@code jobpipe.stage.<stage>.dlq} (raw bytes + dead-letter headers).
 * <p>
 * Each poll acquires up to {@code max-poll-records} records under the group's acquisition lock
 * ({@code share.record.lock.duration.ms}, 30 s by default). Agents run one after another on this thread,
 * then each record is acknowledged: ACCEPT once its result (or dead letter) is in Kafka, RELEASE if the
 * result could not be written (redelivered, with a higher delivery count), REJECT if even the dead letter
 * failed. Limit: a batch slower than the lock loses it; records not started when 80% of the lock is
 * gone are released unprocessed, and a record whose agent outlived the lock may run twice (the agents'
 * work is idempotent per {@code jobId:stage}, and the orchestrator ignores a late second result).
 */
public final class StageRequestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StageRequestLoop.class);
    private static final double LOCK_SHARE_TO_START = 0.8;

    private final String name;
    private final ShareConsumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final StageRecordHandler handler;
    private final WorkerStats stats;
    private final Duration pollTimeout;
    private final Duration sendTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    public StageRequestLoop(String name, ShareConsumer<byte[], byte[]> consumer, Collection<String> topics,
                            StageRecordHandler handler, WorkerStats stats, Duration pollTimeout, Duration sendTimeout) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
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
        long acquiredAt = System.nanoTime();
        long lockMs = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(ShareGroupSetup.DEFAULT_LOCK_MS);
        List<PendingAck> pending = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> notStarted = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acquiredAt);
            if (closing || heldMs > lockMs * LOCK_SHARE_TO_START) {
                notStarted.add(record);
            } else {
                pending.add(handler.handle(record));
            }
        }
        for (PendingAck ack : pending) {
            acknowledge(ack.record(), ack.await(sendTimeout));
        }
        if (!notStarted.isEmpty()) {
            LOG.warn("{}: releasing {} records not started within {}% of their {} ms lock", name, notStarted.size(),
                    Math.round(LOCK_SHARE_TO_START * 100), lockMs);
            notStarted.forEach(record -> acknowledge(record, AcknowledgeType.RELEASE));
        }
        consumer.commitAsync();
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
