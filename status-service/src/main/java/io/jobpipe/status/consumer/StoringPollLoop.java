package io.jobpipe.status.consumer;

import io.jobpipe.status.config.ProjectionProperties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The loop of status's consumers, on a thread of its own: poll a batch, store it in ONE database transaction, then
 * commit its offsets synchronously. A batch whose storing fails is rewound and read again after a backoff that
 * doubles up to {@code maxRetryBackoff}, so nothing is skipped while the database is away; a crash between the two
 * commits redelivers the batch, which the store recognises (idempotent writes). Deciding that one record can never
 * be stored, and skipping it, is the store's business.
 */
public final class StoringPollLoop<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(StoringPollLoop.class);

    /** Stores a batch; throws to have it read again after the backoff. */
    @FunctionalInterface
    public interface Store<K, V> {
        void store(ConsumerRecords<K, V> records);
    }

    /** What the loop reports, for health and metrics. */
    public interface Observer {
        default void running(boolean running) {
        }

        default void polled(int assignedPartitions) {
        }

        default void failed(RuntimeException failure) {
        }
    }

    private final String name;
    private final ProjectionProperties config;
    private final Store<K, V> store;
    private final Observer observer;
    private final Runnable idle;
    private final CountDownLatch stop = new CountDownLatch(1);
    /** The last idle task failed: the next failure is not logged again (the database may be away for a while). */
    private boolean idleFailing;
    private volatile KafkaConsumer<K, V> consumer;
    private Thread thread;

    /** @param name the thread's name and what log lines call this consumer */
    public StoringPollLoop(String name, ProjectionProperties config, Store<K, V> store, Observer observer) {
        this(name, config, store, observer, () -> {
        });
    }

    /** @param idle what to do, on the loop's thread, after a poll that brought no records */
    public StoringPollLoop(String name, ProjectionProperties config, Store<K, V> store, Observer observer,
                           Runnable idle) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.observer = observer;
        this.idle = idle;
    }

    /** Subscribes {@code kafkaConsumer} to {@code topics} and starts the thread; once. */
    public synchronized void start(KafkaConsumer<K, V> kafkaConsumer, Collection<String> topics) {
        if (thread != null) {
            kafkaConsumer.close();
            return;
        }
        consumer = kafkaConsumer;
        consumer.subscribe(List.copyOf(topics));
        thread = new Thread(this::run, name);
        thread.start();
    }

    public synchronized void close() {
        stop.countDown();
        if (thread == null) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        observer.running(true);
        Duration backoff = config.retryBackoff();
        try {
            while (stop.getCount() > 0) {
                ConsumerRecords<K, V> records = consumer.poll(config.pollTimeout());
                observer.polled(consumer.assignment().size());
                if (records.isEmpty()) {
                    runIdle();
                    continue;
                }
                try {
                    storeAndCommit(records);
                    backoff = config.retryBackoff();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    observer.failed(e);
                    LOG.error("{}: storing {} records failed; retrying them in {} ms: {}", name, records.count(),
                            backoff.toMillis(), e.toString());
                    ConsumerOffsets.rewind(consumer, records);
                    if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    Duration doubled = backoff.multipliedBy(2);
                    backoff = doubled.compareTo(config.maxRetryBackoff()) <= 0 ? doubled : config.maxRetryBackoff();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the loop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{} stopped by an unexpected error", name, e);
            observer.failed(e);
        } finally {
            observer.running(false);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void runIdle() {
        try {
            idle.run();
            idleFailing = false;
        } catch (RuntimeException e) {
            if (!idleFailing) {
                LOG.warn("{}: its idle task failed; trying again after the next empty poll: {}", name, e.toString());
            }
            idleFailing = true;
        }
    }

    private void storeAndCommit(ConsumerRecords<K, V> records) {
        store.store(records);
        try {
            consumer.commitSync(ConsumerOffsets.next(records));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The rows are committed; whoever owns the partitions now re-reads the batch and finds it stored.
            LOG.warn("{}: offsets of a stored batch were not committed ({}); it will be redelivered", name,
                    e.toString());
        }
    }
}
