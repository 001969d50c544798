package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;

/**
 * Writes a StageSucceeded/StageFailed to {@code jobpipe.stage.results}, key = jobId, carrying the agent span's
 * W3C context (a child of the request's, so in the job's trace): the orchestrator's transition on this result is
 * the agent span's child. Without a valid agent span (tracing disabled) the request's {@code traceparent} and
 * {@code tracestate} travel on unchanged, so the job's trace id is never lost.
 */
public final class StageResultPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StageResultPublisher.class);
    private static final String TRACESTATE = "tracestate";
    /** errorType of an attempt whose agent returned more than a result record may hold. */
    public static final String OUTPUT_TOO_LARGE = "StageOutputTooLarge";
    /** Below the topics' and producer's 32 MiB, leaving room for the record's headers and batch overhead. */
    public static final int DEFAULT_MAX_RESULT_BYTES = TopicProvisioner.MAX_MESSAGE_BYTES - 64 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final Topic<StageResult> topic;
    private final int maxResultBytes;

    public StageResultPublisher(Producer<byte[], byte[]> producer, Topic<StageResult> topic) {
        this(producer, topic, DEFAULT_MAX_RESULT_BYTES);
    }

    public StageResultPublisher(Producer<byte[], byte[]> producer, Topic<StageResult> topic, int maxResultBytes) {
        this.producer = producer;
        this.topic = topic;
        this.maxResultBytes = maxResultBytes;
    }

    /**
     * Sends {@code result}. A success whose output makes the record larger than Kafka takes is sent as a
     * non-retryable {@value #OUTPUT_TOO_LARGE} failure instead: the send would fail on every redelivery (the agent
     * would run again and again for nothing), while the failure ends the job clearly, with the sizes.
     */
    public Future<RecordMetadata> publish(StageResult result, Headers requestHeaders, SpanContext agentSpan) {
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), result);
        if (value.length > maxResultBytes && result instanceof StageResult.StageSucceeded succeeded) {
            String message = "the agent's output makes a result of " + value.length + " bytes, more than the "
                    + maxResultBytes + " a record may have";
            LOG.warn("job {} stage {} attempt {}: {}; reporting the attempt failed", succeeded.jobId(),
                    succeeded.stage(), succeeded.attempt(), message);
            value = topic.valueSerde().serializer().serialize(topic.name(), new StageResult.StageFailed(
                    EventIds.newEventId(), succeeded.jobId(), succeeded.occurredAt(), succeeded.stage(),
                    succeeded.attempt(), succeeded.startedAt(), succeeded.durationMs(), OUTPUT_TOO_LARGE, message, false,
                    null, succeeded.log()));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                result.jobId().getBytes(StandardCharsets.UTF_8), value);
        if (agentSpan != null && agentSpan.isValid()) {
            // The agent span inherited the request's tracestate, so its context carries both headers.
            KafkaTraceHeaders.inject(Context.root().with(Span.wrap(agentSpan)), record.headers());
        } else {
            KafkaTraceHeaders.setTraceparent(record.headers(), KafkaTraceHeaders.traceparent(requestHeaders));
            Header tracestate = requestHeaders.lastHeader(TRACESTATE);
            if (tracestate != null) {
                record.headers().add(TRACESTATE, tracestate.value());
            }
        }
        return producer.send(record);
    }
}
