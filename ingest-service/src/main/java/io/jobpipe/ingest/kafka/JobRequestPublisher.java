package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.ingest.config.IngestProducerProperties;
import io.jobpipe.ingest.metrics.IngestMetrics;
import io.opentelemetry.context.Context;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes {@link JobRequested} to {@code jobpipe.jobs.requested} (key = jobId, value = JobRequested JSON,
 * headers = W3C trace context). The returned future completes only when the broker acknowledged the
 * record with {@code acks=all}, or fails: a failed future means the sender must not be told "accepted".
 *
 * <p>{@code send()} can block (missing metadata, full buffer) for up to {@code max.block.ms}, so it runs on
 * a small pool of its own and never on an HTTP event loop. A request that waited in that pool's queue longer
 * than {@code max.block.ms} fails at once: the sends ahead of it are blocking, so the broker is in trouble.
 * Acknowledgements are handed to the I/O executor at once: what follows them (the HTTP response, its
 * filters and log line) must not hold up the producer's network thread, which serves every send.
 */
@Singleton
public final class JobRequestPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(JobRequestPublisher.class);
    private static final int SEND_THREADS = 2;
    private static final int SEND_QUEUE_CAPACITY = 1024;
    /** Past Kafka's own deadlines: only reached if a callback never comes, which Kafka does not promise against. */
    private static final Duration CALLBACK_GRACE = Duration.ofSeconds(1);

    private final Producer<String, JobRequested> producer;
    private final String topic;
    private final IngestProducerProperties settings;
    private final ThreadPoolExecutor sendPool;
    private final Executor completions;
    private final AtomicReference<SendOutcome> lastOutcome = new AtomicReference<>();
    private final IngestMetrics metrics;

    /** When the last send finished and whether Kafka acknowledged it; shown by the health endpoint. */
    public record SendOutcome(Instant at, boolean acknowledged, String error) {
    }

    public JobRequestPublisher(Producer<String, JobRequested> producer, Topics topics, IngestProducerProperties settings,
                               @Named(TaskExecutors.IO) ExecutorService completions, IngestMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
        this.completions = completions;
        this.topic = topics.jobsRequested.name();
        this.settings = settings;
        AtomicInteger threadNumber = new AtomicInteger();
        this.sendPool = new ThreadPoolExecutor(SEND_THREADS, SEND_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SEND_QUEUE_CAPACITY), runnable -> {
                    Thread thread = new Thread(runnable, "ingest-send-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public String topic() {
        return topic;
    }

    /** Sends {@code request} carrying {@code traceContext}; completes with the broker's acknowledgement. */
    public CompletableFuture<RecordMetadata> publish(JobRequested request, Context traceContext) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        long queuedAt = System.nanoTime();
        try {
            sendPool.execute(() -> send(request, traceContext, queuedAt, acknowledged));
        } catch (RejectedExecutionException e) {
            acknowledged.completeExceptionally(new TimeoutException("ingest's send queue is full"));
        }
        Duration deadline = settings.worstCaseSend().plus(CALLBACK_GRACE);
        return acknowledged.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((metadata, error) -> {
                    metrics.produced(error == null, System.nanoTime() - queuedAt);
                    lastOutcome.set(new SendOutcome(Instant.now(), error == null,
                            error == null ? null : SendFailures.describe(error)));
                });
    }

    public SendOutcome lastOutcome() {
        return lastOutcome.get();
    }

    private void send(JobRequested request, Context traceContext, long queuedAt,
                      CompletableFuture<RecordMetadata> acknowledged) {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt);
        if (waitedMs > settings.maxBlock().toMillis()) {
            acknowledged.completeExceptionally(
                    new TimeoutException("waited " + waitedMs + " ms behind blocked sends; Kafka is not keeping up"));
            return;
        }
        ProducerRecord<String, JobRequested> record = new ProducerRecord<>(topic, request.jobId(), request);
        KafkaTraceHeaders.inject(traceContext, record.headers());
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
     * Stops taking sends, then gives buffered records until their delivery deadline: a request whose
     * sender is still waiting gets a real answer, not a connection reset.
     */
    @PreDestroy
    void close() {
        sendPool.shutdown();
        try {
            if (!sendPool.awaitTermination(settings.maxBlock().toMillis(), TimeUnit.MILLISECONDS)) {
                sendPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(settings.deliveryTimeout());
        LOG.info("job request producer closed");
    }
}
