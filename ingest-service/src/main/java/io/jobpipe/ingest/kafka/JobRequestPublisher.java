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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes {@link JobRequested} to {@code jobpipe.jobs.requested} (key = jobId, value = JobRequested JSON,
 * headers = W3C trace context). The returned future completes only when the broker acknowledged the
 * record with {@code acks=all}, or fails: a failed future means the sender must not be told "accepted"
 * ({@link AcknowledgedSends}: off the event loop, bounded by Kafka's deadlines).
 */
@Singleton
public final class JobRequestPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(JobRequestPublisher.class);

    private final String topic;
    private final AcknowledgedSends<String, JobRequested> sends;
    private final AtomicReference<SendOutcome> lastOutcome = new AtomicReference<>();
    private final IngestMetrics metrics;

    /** When the last send finished and whether Kafka acknowledged it; shown by the health endpoint. */
    public record SendOutcome(Instant at, boolean acknowledged, String error) {
    }

    public JobRequestPublisher(Producer<String, JobRequested> producer, Topics topics, IngestProducerProperties settings,
                               @Named(TaskExecutors.IO) ExecutorService completions, IngestMetrics metrics) {
        this.metrics = metrics;
        this.topic = topics.jobsRequested.name();
        this.sends = new AcknowledgedSends<>("ingest-send", producer, settings, completions);
    }

    public String topic() {
        return topic;
    }

    /** Sends {@code request} carrying {@code traceContext}; completes with the broker's acknowledgement. */
    public CompletableFuture<RecordMetadata> publish(JobRequested request, Context traceContext) {
        ProducerRecord<String, JobRequested> record = new ProducerRecord<>(topic, request.jobId(), request);
        KafkaTraceHeaders.inject(traceContext, record.headers());
        long queuedAt = System.nanoTime();
        return sends.send(record).whenComplete((metadata, error) -> {
            metrics.produced(error == null, System.nanoTime() - queuedAt);
            lastOutcome.set(new SendOutcome(Instant.now(), error == null,
                    error == null ? null : SendFailures.describe(error)));
        });
    }

    public SendOutcome lastOutcome() {
        return lastOutcome.get();
    }

    /** Gives buffered job requests until their delivery deadline ({@link AcknowledgedSends#close()}). */
    @PreDestroy
    void close() {
        sends.close();
        LOG.info("job request producer closed");
    }
}
