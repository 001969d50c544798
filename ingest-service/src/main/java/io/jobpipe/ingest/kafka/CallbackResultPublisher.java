package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.ingest.config.IngestProducerProperties;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.opentelemetry.context.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Writes what asynchronous agents report through their callbacks to {@code jobpipe.stage.results} (key = jobId,
 * value = StageSucceeded / StageFailed / StageHeartbeat JSON, headers = W3C trace context of the callback request),
 * as a worker would. Completes only once Kafka acknowledged the record ({@link AcknowledgedSends}). Its own producer,
 * so agents' callbacks and webhooks never wait behind each other's sends.
 */
@Singleton
public final class CallbackResultPublisher {
    private final String topic;
    private final AcknowledgedSends<String, StageResult> sends;

    public CallbackResultPublisher(@Named("callbacks") Producer<String, StageResult> producer, Topics topics,
                                   IngestProducerProperties settings,
                                   @Named(TaskExecutors.IO) ExecutorService completions) {
        this.topic = topics.stageResults.name();
        this.sends = new AcknowledgedSends<>("ingest-callback-send", producer, settings, completions);
    }

    public CompletableFuture<RecordMetadata> publish(StageResult result, Context traceContext) {
        ProducerRecord<String, StageResult> record = new ProducerRecord<>(topic, result.jobId(), result);
        KafkaTraceHeaders.inject(traceContext, record.headers());
        return sends.send(record);
    }

    @PreDestroy
    void close() {
        sends.close();
    }
}
