package io.jobpipe.ingest.kafka;

import io.jobpipe.ingest.config.IngestProducerProperties;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends records whose sender waits for Kafka's answer: the returned future completes only when the broker
 * acknowledged the record ({@code acks=all}), or fails, and a failed future means the sender must not be told
 * "accepted". Owns its producer and closes it.
 *
 * <p>{@code send()} can block (missing metadata, full buffer) for up to {@code max.block.ms}, so it runs on a small
 * pool of its own and never on an HTTP event loop. A record that waited in that pool's queue longer than
 * {@code max.block.ms} fails at once: the sends ahead of it are blocking, so the broker is in trouble.
 * Acknowledgements are handed to {@code completions} at once: what follows them (the HTTP response, its filters and
 * log line) must not hold up the producer's network thread, which serves every send.
 */
public final class AcknowledgedSends<K, V> {
    private static final int SEND_THREADS = 2;
    private static final int SEND_QUEUE_CAPACITY = 1024;
    /** Past Kafka's own deadlines: only reached if a callback never comes, which Kafka does not promise against. */
    private static final Duration CALLBACK_GRACE = Duration.ofSeconds(1);

    private final Producer<K, V> producer;
    private final IngestProducerProperties settings;
    private final ThreadPoolExecutor sendPool;
    private final Executor completions;

    /** @param threadName the send threads' name, numbered */
    public AcknowledgedSends(String threadName, Producer<K, V> producer, IngestProducerProperties settings,
                             Executor completions) {
        this.producer = producer;
        this.settings = settings;
        this.completions = completions;
        AtomicInteger threadNumber = new AtomicInteger();
        this.sendPool = new ThreadPoolExecutor(SEND_THREADS, SEND_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SEND_QUEUE_CAPACITY), runnable -> {
                    Thread thread = new Thread(runnable, threadName + "-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Sends {@code record}; completes with the broker's acknowledgement, or fails within Kafka's deadlines. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        long queuedAt = System.nanoTime();
        try {
            sendPool.execute(() -> sendNow(record, queuedAt, acknowledged));
        } catch (RejectedExecutionException e) {
            acknowledged.completeExceptionally(new TimeoutException("ingest's send queue is full"));
        }
        Duration deadline = settings.worstCaseSend().plus(CALLBACK_GRACE);
        return acknowledged.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendNow(ProducerRecord<K, V> record, long queuedAt, CompletableFuture<RecordMetadata> acknowledged) {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt);
        if (waitedMs > settings.maxBlock().toMillis()) {
            acknowledged.completeExceptionally(
                    new TimeoutException("waited " + waitedMs + " ms behind blocked sends; Kafka is not keeping up"));
            return;
        }
        try {
            producer.send(record, (metadata, error) -> completeElsewhere(acknowledged, metadata, error));
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
    }

    private void completeElsewhere(CompletableFuture<RecordMetadata> acknowledged, RecordMetadata metadata,
                                   Exception error) {
        Runnable complete = () -> {
            if (error == null) {
                acknowledged.complete(metadata);
            } else {
                acknowledged.completeExceptionally(error);
            }
        };
        try {
            completions.execute(complete);
        } catch (RejectedExecutionException e) {
            complete.run();
        }
    }

    /**
     * Stops taking sends, then gives buffered records until their delivery deadline: a request whose sender is
     * still waiting gets a real answer, not a connection reset.
     */
    public void close() {
        sendPool.shutdown();
        try {
            if (!sendPool.awaitTermination(settings.maxBlock().toMillis(), TimeUnit.MILLISECONDS)) {
                sendPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(settings.deliveryTimeout());
    }
}
